<?cs # inbox.cs: the member's in-site letters, newest first; unread ones can be marked read (htdocs/letters.js counts and adds new ones live) ?>
<?cs set:Page.Title = Lang.Savers.Inbox.Title ?><?cs set:Page.Nav = "inbox" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"savers_macros.cs" ?>
<div class="page-head"><h1><?cs var:Lang.Savers.Inbox.Title ?></h1>
<?cs if:Inbox.Unread != "0" ?><form class="inline" method="post" action="/inbox/read-all"><?cs call:csrf_field() ?><button type="submit" class="secondary"><?cs var:Lang.Savers.Inbox.MarkAllRead ?></button></form><?cs /if ?></div>
<section class="panel" id="inbox-list" data-live-refresh="inbox" aria-labelledby="inbox-list-title">
<h2 id="inbox-list-title" class="visually-hidden"><?cs var:Lang.Savers.Inbox.Title ?></h2>
<p class="hint"><strong class="count" id="letter-count"><?cs var:Inbox.Unread ?></strong> <?cs var:Lang.Savers.Inbox.Unread ?></p>
<?cs if:subcount(Letters) ?>
<ul class="plain letters" id="letters" data-last-id="<?cs var:Inbox.LastId ?>">
<?cs each:l = Letters ?><li class="letter<?cs if:l.Read == "0" ?> unread<?cs /if ?>" id="letter-<?cs var:l.Id ?>">
<p class="letter-text"><?cs if:l.Read == "0" ?><span class="badge badge-update"><?cs var:Lang.Savers.Inbox.New ?></span> <?cs /if ?><strong><?cs var:l.Text ?></strong>
<?cs if:l.Url ?> <a href="<?cs var:l.Url ?>"><?cs var:Lang.Savers.Inbox.Open ?></a><?cs /if ?></p>
<?cs if:l.Saver.FullName ?><div class="card-face bcard compact letter-saver"><span class="card-name"><?cs var:l.Saver.FullName ?></span> <?cs call:saver_badge(l.Saver) ?>
<?cs call:saver_contact(l.Saver) ?></div><?cs /if ?>
<div class="hint letter-meta"><?cs var:Lang.Savers.Inbox.Received ?> <?cs call:when(l.Created) ?>
<?cs if:l.Read == "0" ?><form class="inline" method="post" action="/inbox/<?cs var:l.Id ?>/read"><?cs call:csrf_field() ?><button type="submit" class="link"><?cs var:Lang.Savers.Inbox.MarkRead ?></button></form><?cs /if ?></div>
</li>
<?cs /each ?>
</ul>
<?cs elif:!Inbox.Paged ?>
<p class="empty"><?cs var:Lang.Savers.Inbox.Empty ?></p>
<?cs /if ?>
<?cs if:Inbox.Paged || Inbox.Next ?><nav class="pager" aria-label="<?cs var:Lang.Savers.Inbox.Pager ?>">
<?cs if:Inbox.Paged ?><a href="/inbox"><?cs var:Lang.Savers.Inbox.Newest ?></a><?cs /if ?>
<?cs if:Inbox.Next ?> <a rel="next" href="/inbox?cursor=<?cs var:Inbox.Next ?>"><?cs var:Lang.Savers.Inbox.Older ?></a><?cs /if ?>
</nav><?cs /if ?>
</section>
<?cs include:"footer.cs" ?>
