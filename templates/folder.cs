<?cs # folder.cs: the card folder: search (as you type with htdocs/folder.js), tag filter, the saved cards a page at a time ?>
<?cs set:Page.Title = Lang.Folder.Title ?><?cs set:Page.Nav = "folder" ?><?cs set:Page.Scripts.0 = "/static/folder.js" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?><?cs include:"folder_macros.cs" ?>
<div class="page-head"><h1><?cs var:Lang.Folder.Title ?></h1> <a class="button" href="/folder/new"><?cs var:Lang.Folder.New ?></a></div>
<?cs if:Query.deleted ?><p class="notice" role="status"><?cs var:Lang.Folder.Deleted ?></p><?cs /if ?>
<section class="panel">
<p class="hint"><?cs var:Lang.Folder.Intro ?></p>
<ul class="inline-list folder-actions">
<li><a href="/folder/scan"><?cs var:Lang.Scan.Add ?></a></li>
<li><a href="/folder/import"><?cs var:Lang.Folder.Import ?></a></li>
<li><a href="/api/v1/folder.vcf"><?cs var:Lang.Folder.Export ?></a> <a href="/api/v1/folder.vcf?version=3.0"><?cs var:Lang.Folder.Export3 ?></a></li>
</ul>
<form method="get" action="/folder" role="search" class="folder-search" id="folder-search">
<div class="folder-search-fields">
<div class="folder-q"><label for="q"><?cs var:Lang.Folder.SearchLabel ?></label>
<input id="q" name="q" type="search" maxlength="200" autocomplete="off" aria-describedby="q-hint" value="<?cs var:Folder.Q ?>"></div>
<?cs if:subcount(Folder.Tags) ?><div class="folder-tag"><label for="tag"><?cs var:Lang.Folder.TagLabel ?></label>
<select id="tag" name="tag"><option value=""><?cs var:Lang.Folder.AllTags ?></option>
<?cs each:t = Folder.Tags ?><option value="<?cs var:t.Name ?>"<?cs if:t.Name == Folder.Tag ?> selected<?cs /if ?>><?cs var:t.Name ?> (<?cs var:t.Count ?>)</option><?cs /each ?>
</select></div><?cs /if ?>
</div>
<p class="hint" id="q-hint"><?cs var:Lang.Folder.TypeHint ?></p>
<button type="submit"><?cs var:Lang.Folder.Search ?></button>
<?cs if:Folder.Q || Folder.Tag ?> <a href="/folder"><?cs var:Lang.Folder.ShowAll ?></a><?cs /if ?>
</form>
</section>
<section class="panel" aria-labelledby="folder-list-title">
<h2 id="folder-list-title" class="folder-list-title"><?cs var:Lang.Folder.ListLabel ?> <span class="hint"><?cs var:Lang.Folder.Total ?> <span id="folder-total"><?cs var:Folder.Total ?></span></span></h2>
<p id="folder-status" class="hint" role="status"></p>
<div id="folder-results" data-member="<?cs var:Lang.Folder.Badge.Member ?>" data-nonmember="<?cs var:Lang.Folder.Badge.NotMember ?>"
 data-saved-my="<?cs var:Lang.Folder.Badge.SavedMyCard ?>" data-pending="<?cs var:Lang.Folder.Badge.UpdatePending ?>" data-linked="<?cs var:Lang.Folder.Badge.Linked ?>" data-offer="<?cs var:Lang.Folder.Badge.LinkOffer ?>"
 data-no-match="<?cs var:Lang.Folder.NoMatch ?>" data-empty="<?cs var:Lang.Folder.Empty ?>" data-found="<?cs var:Lang.Folder.Found ?>"
 data-next="<?cs var:Lang.Folder.Next ?>">
<?cs if:Folder.Tiles ?>
<ul class="folder-list">
<?cs escape:"none" ?><?cs var:Folder.Tiles ?><?cs /escape ?>
</ul>
<?cs elif:Folder.Q || Folder.Tag || Folder.Paged ?>
<p class="empty folder-none"><?cs var:Lang.Folder.NoMatch ?></p>
<?cs else ?>
<p class="empty folder-none"><?cs var:Lang.Folder.Empty ?></p>
<?cs /if ?>
</div>
<nav class="pager" id="folder-pages" aria-label="<?cs var:Lang.Folder.ListLabel ?>">
<?cs if:Folder.Paged ?><a href="/folder?q=<?cs var:url_escape(Folder.Q) ?>&amp;tag=<?cs var:url_escape(Folder.Tag) ?>"><?cs var:Lang.Folder.First ?></a><?cs /if ?>
<?cs if:Folder.Next ?> <a rel="next" href="/folder?q=<?cs var:url_escape(Folder.Q) ?>&amp;tag=<?cs var:url_escape(Folder.Tag) ?>&amp;cursor=<?cs var:Folder.Next ?>"><?cs var:Lang.Folder.Next ?></a><?cs /if ?>
</nav>
</section>
<?cs include:"footer.cs" ?>
