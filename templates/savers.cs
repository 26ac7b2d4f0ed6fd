<?cs # savers.cs: who saved my card (step C): members and non-member subscribers, a page at a time, and the search of all members; htdocs/letters.js refreshes the list when a letter says someone new saved the card ?>
<?cs set:Page.Title = Lang.Savers.Title ?><?cs set:Page.Nav = "savers" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"savers_macros.cs" ?>
<div class="page-head"><h1><?cs var:Lang.Savers.Title ?></h1> <a class="button secondary" href="/inbox"><?cs var:Lang.Savers.Letter.Open ?></a></div>
<?cs call:form_error() ?>
<?cs if:?SaversSearch.Found ?><p class="notice" role="status"><?cs if:SaversSearch.Found == 0 ?><span id="savers-found-none"><?cs var:Lang.Savers.FoundNone ?></span><?cs else ?><?cs var:Lang.Savers.Found ?> <strong id="savers-found"><?cs var:SaversSearch.Found ?></strong><?cs /if ?></p><?cs /if ?>
<section class="panel savers-live" id="savers-list" data-live-refresh="savers" aria-labelledby="savers-list-title">
<h2 id="savers-list-title"><?cs var:Lang.Savers.ListTitle ?> <span class="hint"><?cs var:Lang.Savers.Total ?> <span id="savers-total"><?cs var:List.Total ?></span></span></h2>
<p class="hint"><?cs var:Lang.Savers.Intro ?></p>
<?cs if:SaversRemoved.Done ?><p class="notice" role="status" id="savers-removed"><?cs var:Lang.Savers.RemovedDone ?></p><?cs /if ?>
<p class="hint" id="savers-remove-hint"><?cs var:Lang.Savers.RemoveHint ?></p>
<?cs if:subcount(Savers) ?>
<ul class="savers-list">
<?cs each:s = Savers ?><?cs call:saver_tile(s) ?>
<?cs /each ?>
</ul>
<?cs elif:!List.Paged ?>
<p class="empty"><?cs var:Lang.Savers.Empty ?></p>
<?cs /if ?>
<?cs if:List.Paged || List.Next ?><nav class="pager" aria-label="<?cs var:Lang.Savers.Pager ?>">
<?cs if:List.Paged ?><a href="/savers"><?cs var:Lang.Savers.First ?></a><?cs /if ?>
<?cs if:List.Next ?> <a rel="next" href="/savers?cursor=<?cs var:url_escape(List.Next) ?>"><?cs var:Lang.Savers.Next ?></a><?cs /if ?>
</nav><?cs /if ?>
</section>
<section class="panel" aria-labelledby="savers-search-title">
<h2 id="savers-search-title"><?cs var:Lang.Savers.SearchTitle ?></h2>
<form method="post" action="/savers/search">
<?cs call:csrf_field() ?>
<p class="hint" id="savers-search-hint"><?cs var:Lang.Savers.SearchHint ?></p>
<button type="submit" class="secondary" aria-describedby="savers-search-hint"><?cs var:Lang.Savers.Search ?></button>
</form>
</section>
<?cs include:"footer.cs" ?>
