<?cs # folder.cs: the card folder: search, tag filter, the saved cards a page at a time ?>
<?cs set:Page.Title = Lang.Folder.Title ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?><?cs include:"folder_macros.cs" ?>
<link rel="stylesheet" href="/static/card.css">
<section class="panel">
<h1><?cs var:Lang.Folder.Title ?></h1>
<?cs if:Query.deleted ?><p class="notice" role="status"><?cs var:Lang.Folder.Deleted ?></p><?cs /if ?>
<p class="hint"><?cs var:Lang.Folder.Intro ?></p>
<p><a class="button" href="/folder/new"><?cs var:Lang.Folder.New ?></a> <a class="button" href="/folder/import"><?cs var:Lang.Folder.Import ?></a></p>
<p><a href="/api/v1/folder.vcf"><?cs var:Lang.Folder.Export ?></a> <a href="/api/v1/folder.vcf?version=3.0"><?cs var:Lang.Folder.Export3 ?></a></p>
<form method="get" action="/folder" role="search" class="folder-search">
<div class="card-row">
<div><label for="q"><?cs var:Lang.Folder.SearchLabel ?></label>
<input id="q" name="q" type="search" maxlength="200" value="<?cs var:Folder.Q ?>"></div>
<?cs if:subcount(Folder.Tags) ?><div><label for="tag"><?cs var:Lang.Folder.TagLabel ?></label>
<select id="tag" name="tag"><option value=""><?cs var:Lang.Folder.AllTags ?></option>
<?cs each:t = Folder.Tags ?><option value="<?cs var:t.Name ?>"<?cs if:t.Name == Folder.Tag ?> selected<?cs /if ?>><?cs var:t.Name ?> (<?cs var:t.Count ?>)</option><?cs /each ?>
</select></div><?cs /if ?>
</div>
<button type="submit"><?cs var:Lang.Folder.Search ?></button>
<?cs if:Folder.Q || Folder.Tag ?> <a href="/folder"><?cs var:Lang.Folder.ShowAll ?></a><?cs /if ?>
</form>
</section>
<section class="panel" aria-live="polite">
<p class="hint"><span id="folder-total"><?cs var:Folder.Total ?></span> <?cs var:Lang.Folder.Total ?></p>
<?cs if:subcount(Entries) ?>
<ul class="plain folder-list">
<?cs each:e = Entries ?><li class="folder-entry">
<?cs if:e.Front ?><a href="/folder/<?cs var:e.Id ?>"><img class="card-thumb" src="/api/v1/folder/<?cs var:e.Id ?>/images/front?thumb=1&amp;v=<?cs var:e.Front ?>" alt="<?cs var:Lang.Folder.Entry.FrontAlt ?>"></a><?cs /if ?>
<a href="/folder/<?cs var:e.Id ?>"><strong><?cs var:e.Card.FullName ?></strong></a>
<?cs if:e.Card.Title || e.Card.Organization ?><span class="card-org"> · <?cs var:e.Card.Title ?><?cs if:e.Card.Title && e.Card.Organization ?>, <?cs /if ?><?cs var:e.Card.Organization ?></span><?cs /if ?>
<br><?cs call:badges(e) ?>
<?cs if:e.Email ?> <span class="hint"><?cs var:e.Email ?></span><?cs /if ?><?cs if:e.Phone ?> <span class="hint"><?cs var:e.Phone ?></span><?cs /if ?>
<?cs if:subcount(e.Tags) ?> <span class="hint"><?cs each:t = e.Tags ?><a href="/folder?tag=<?cs var:url_escape(t) ?>">#<?cs var:t ?></a> <?cs /each ?></span><?cs /if ?>
</li>
<?cs /each ?>
</ul>
<?cs elif:Folder.Q || Folder.Tag || Folder.Paged ?>
<p><?cs var:Lang.Folder.NoMatch ?></p>
<?cs else ?>
<p><?cs var:Lang.Folder.Empty ?></p>
<?cs /if ?>
<nav class="folder-pages">
<?cs if:Folder.Paged ?><a href="/folder?q=<?cs var:url_escape(Folder.Q) ?>&amp;tag=<?cs var:url_escape(Folder.Tag) ?>"><?cs var:Lang.Folder.First ?></a><?cs /if ?>
<?cs if:Folder.Next ?> <a rel="next" href="/folder?q=<?cs var:url_escape(Folder.Q) ?>&amp;tag=<?cs var:url_escape(Folder.Tag) ?>&amp;cursor=<?cs var:Folder.Next ?>"><?cs var:Lang.Folder.Next ?></a><?cs /if ?>
</nav>
</section>
<?cs include:"footer.cs" ?>
