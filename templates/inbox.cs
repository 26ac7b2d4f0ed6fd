<?cs # inbox.cs: the member's in-site letters, newest first; unread ones can be marked read (htdocs/letters.js adds new ones live) ?>
<?cs set:Page.Title = Lang.Savers.Inbox.Title ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"savers_macros.cs" ?>
<section class="panel">
<h1><?cs var:Lang.Savers.Inbox.Title ?></h1>
<p class="hint"><span class="count" id="letter-count"><?cs var:Inbox.Unread ?></span> <?cs var:Lang.Savers.Inbox.Unread ?></p>
<?cs if:Inbox.Unread != "0" ?><form method="post" action="/inbox/read-all"><?cs call:csrf_field() ?><button type="submit"><?cs var:Lang.Savers.Inbox.MarkAllRead ?></button></form><?cs /if ?>
<?cs if:subcount(Letters) ?>
<ul class="plain letters" id="letters" data-last-id="<?cs var:Inbox.LastId ?>">
<?cs each:l = Letters ?><li class="letter<?cs if:l.Read == "0" ?> unread<?cs /if ?>" id="letter-<?cs var:l.Id ?>">
<?cs if:l.Read == "0" ?><strong class="count"><?cs var:Lang.Savers.Inbox.New ?></strong> <?cs /if ?><strong><?cs var:l.Text ?></strong>
<?cs if:l.Saver.FullName ?> <?cs call:saver_badge(l.Saver) ?><?cs call:saver_contact(l.Saver) ?><?cs /if ?>
<?cs if:l.Url ?> <a href="<?cs var:l.Url ?>"><?cs var:Lang.Savers.Inbox.Open ?></a><?cs /if ?>
<br><span class="hint"><?cs var:Lang.Savers.Inbox.Received ?> <time><?cs var:l.Created ?></time> UTC</span>
<?cs if:l.Read == "0" ?><form class="inline" method="post" action="/inbox/<?cs var:l.Id ?>/read"><?cs call:csrf_field() ?><button type="submit" class="link"><?cs var:Lang.Savers.Inbox.MarkRead ?></button></form><?cs /if ?>
</li>
<?cs /each ?>
</ul>
<?cs elif:!Inbox.Paged ?>
<p><?cs var:Lang.Savers.Inbox.Empty ?></p>
<?cs /if ?>
<nav>
<?cs if:Inbox.Paged ?><a href="/inbox"><?cs var:Lang.Savers.Inbox.Newest ?></a><?cs /if ?>
<?cs if:Inbox.Next ?> <a rel="next" href="/inbox?cursor=<?cs var:Inbox.Next ?>"><?cs var:Lang.Savers.Inbox.Older ?></a><?cs /if ?>
</nav>
</section>
<?cs include:"footer.cs" ?>
