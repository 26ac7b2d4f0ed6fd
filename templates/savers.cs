<?cs # savers.cs: who saved my card (step C): members and non-member subscribers, a page at a time, and the search of all members ?>
<?cs set:Page.Title = Lang.Savers.Title ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"savers_macros.cs" ?>
<section class="panel">
<h1><?cs var:Lang.Savers.Title ?></h1>
<?cs call:form_error() ?>
<?cs if:Query.found ?><p class="notice" role="status"><?cs var:Lang.Savers.Found ?> <strong id="savers-found"><?cs var:Query.found ?></strong></p><?cs /if ?>
<p class="hint"><?cs var:Lang.Savers.Intro ?></p>
<form method="post" action="/savers/search">
<?cs call:csrf_field() ?>
<button type="submit"><?cs var:Lang.Savers.Search ?></button>
<p class="hint"><?cs var:Lang.Savers.SearchHint ?></p>
</form>
</section>
<section class="panel">
<p class="hint"><span id="savers-total"><?cs var:List.Total ?></span> <?cs var:Lang.Savers.Total ?></p>
<?cs if:subcount(Savers) ?>
<ul class="plain savers-list">
<?cs each:s = Savers ?><li class="saver saver-<?cs var:s.Kind ?>">
<strong><?cs var:s.FullName ?></strong> <?cs call:saver_badge(s) ?>
<?cs call:saver_contact(s) ?>
<br><span class="hint"><?cs alt:Lang.Savers.How[s.How] ?><?cs var:s.How ?><?cs /alt ?> · <?cs var:Lang.Savers.Since ?> <time datetime="<?cs var:s.Since ?>"><?cs var:s.Since ?></time></span>
</li>
<?cs /each ?>
</ul>
<?cs elif:!List.Paged ?>
<p><?cs var:Lang.Savers.Empty ?></p>
<?cs /if ?>
<nav>
<?cs if:List.Paged ?><a href="/savers"><?cs var:Lang.Savers.First ?></a><?cs /if ?>
<?cs if:List.Next ?> <a rel="next" href="/savers?cursor=<?cs var:url_escape(List.Next) ?>"><?cs var:Lang.Savers.Next ?></a><?cs /if ?>
</nav>
</section>
<?cs include:"footer.cs" ?>
