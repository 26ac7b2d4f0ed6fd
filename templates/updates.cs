<?cs # updates.cs: pending updates of the member's saved cards (step D1): what changed, field by field, with accept / decline per card and for all; "check for updates" (step D3) ?>
<?cs set:Page.Title = Lang.Updates.Title ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?>
<link rel="stylesheet" href="/static/card.css">
<?cs # update_item: one card's update (u: Pending.N or Declined.N) ?>
<?cs def:update_item(u) ?>
<article class="update" id="update-<?cs var:u.EntryId ?>" data-entry="<?cs var:u.EntryId ?>">
<h3><?cs var:u.Owner ?> <span class="hint"><?cs var:Lang.Updates.ChangedCard ?> · <?cs var:Lang.Updates.Revision ?> <?cs var:u.From ?> → <?cs var:u.To ?></span></h3>
<table class="card-diff">
<thead><tr><th scope="col"><?cs var:Lang.Updates.Field ?></th><th scope="col"><?cs var:Lang.Updates.Yours ?></th><th scope="col"><?cs var:Lang.Updates.Theirs ?></th></tr></thead>
<tbody>
<?cs each:ch = u.Changes ?><tr data-field="<?cs var:ch.Field ?>">
<th scope="row"><?cs alt:Lang.Card.Fields[ch.Field] ?><?cs var:ch.Field ?><?cs /alt ?></th>
<?cs if:ch.Image ?>
<td><?cs if:ch.OldImage ?><img src="<?cs var:ch.OldImage ?>&amp;thumb=1" alt="<?cs var:Lang.Updates.ImageOld ?>" class="card-thumb"><?cs else ?><span class="hint"><?cs var:Lang.Updates.EmptyValue ?></span><?cs /if ?></td>
<td><?cs if:ch.NewImage ?><img src="<?cs var:ch.NewImage ?>&amp;thumb=1" alt="<?cs var:Lang.Updates.ImageNew ?>" class="card-thumb"><?cs else ?><span class="hint"><?cs var:Lang.Updates.EmptyValue ?></span><?cs /if ?></td>
<?cs else ?>
<td class="diff-old"><?cs call:diff_lines(ch.Old) ?></td>
<td class="diff-new"><?cs call:diff_lines(ch.New) ?></td>
<?cs /if ?>
</tr><?cs /each ?>
</tbody>
</table>
<div class="actions">
<form class="inline" method="post" action="/updates/<?cs var:u.EntryId ?>/accept"><?cs call:csrf_field() ?><button type="submit"><?cs var:Lang.Updates.Accept ?></button></form>
<?cs if:u.Declined != "1" ?><form class="inline" method="post" action="/updates/<?cs var:u.EntryId ?>/decline"><?cs call:csrf_field() ?><button type="submit" class="secondary"><?cs var:Lang.Updates.Decline ?></button></form><?cs /if ?>
<?cs if:u.Auto != "1" ?><form class="inline" method="post" action="/updates/<?cs var:u.EntryId ?>/policy" title="<?cs var:Lang.Updates.AutoHint ?>"><?cs call:csrf_field() ?><input type="hidden" name="auto_update" value="1"><button type="submit" class="link"><?cs var:Lang.Updates.AutoOn ?></button></form><?cs /if ?>
<a href="/folder/<?cs var:u.EntryId ?>"><?cs var:Lang.Updates.OpenEntry ?></a>
</div>
</article>
<?cs /def ?>
<section class="panel">
<h1><?cs var:Lang.Updates.Title ?></h1>
<?cs if:Updates.Done ?><p class="notice" role="status"><?cs var:Lang.Updates.Done[Updates.Done] ?></p><?cs /if ?>
<?cs if:Updates.Checked ?><p class="notice" role="status"><?cs var:Lang.Updates.Checked ?></p><?cs /if ?>
<p><?cs var:Lang.Updates.Intro ?></p>
<form method="get" action="/updates" class="inline"><input type="hidden" name="check" value="1"><button type="submit" class="secondary" title="<?cs var:Lang.Updates.CheckHint ?>"><?cs var:Lang.Updates.Check ?></button></form>
<?cs if:subcount(Pending) ?>
<h2><?cs var:Lang.Updates.Behind ?> <span class="count" id="pending-count"><?cs var:Updates.Count ?></span></h2>
<div class="actions">
<form class="inline" method="post" action="/updates/accept-all"><?cs call:csrf_field() ?><button type="submit"><?cs var:Lang.Updates.AcceptAll ?></button></form>
<form class="inline" method="post" action="/updates/decline-all"><?cs call:csrf_field() ?><button type="submit" class="secondary"><?cs var:Lang.Updates.DeclineAll ?></button></form>
</div>
<?cs each:u = Pending ?><?cs call:update_item(u) ?><?cs /each ?>
<?cs elif:!Updates.Paged ?>
<p id="no-updates"><?cs var:Lang.Updates.Empty ?></p>
<?cs /if ?>
</section>
<?cs if:subcount(Declined) ?>
<section class="panel">
<h2><?cs var:Lang.Updates.DeclinedTitle ?></h2>
<p class="hint"><?cs var:Lang.Updates.DeclinedIntro ?></p>
<?cs each:u = Declined ?><?cs call:update_item(u) ?><?cs /each ?>
</section>
<?cs /if ?>
<?cs if:Updates.Next || Updates.Paged ?><nav><?cs if:Updates.Paged ?><a href="/updates"><?cs var:Lang.Updates.Title ?></a><?cs /if ?><?cs if:Updates.Next ?> <a rel="next" href="/updates?cursor=<?cs var:Updates.Next ?>">→</a><?cs /if ?></nav><?cs /if ?>
<?cs include:"footer.cs" ?>
