<?cs # updates.cs: pending updates of the member's saved cards (step D1): only the changed fields, before (struck) and after (highlighted), accept / decline per card and for all; "check for updates" (step D3) ?>
<?cs set:Page.Title = Lang.Updates.Title ?><?cs set:Page.Nav = "updates" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?>
<?cs # diff_side(lines, other, mark): one side of a changed field; a line the other side lacks is marked (del or ins), a line on both sides is plain ?>
<?cs def:diff_side(lines, other, mark) ?><?cs if:subcount(lines) ?><?cs each:l = lines ?><?cs set:Diff.Same = 0 ?><?cs each:o = other ?><?cs if:string.length(o.Text) == string.length(l.Text) && o.Text + "|" + o.Label == l.Text + "|" + l.Label ?><?cs set:Diff.Same = 1 ?><?cs /if ?><?cs /each ?><?cs if:Diff.Same == 1 ?><span class="diff-line diff-same"><?cs else ?><<?cs var:mark ?> class="diff-line"><span class="visually-hidden"><?cs if:mark == "del" ?><?cs var:Lang.Updates.Removed ?><?cs else ?><?cs var:Lang.Updates.Added ?><?cs /if ?> </span><?cs /if ?><?cs if:l.Label ?><span class="card-type"><?cs call:type_label(l.Label) ?></span> <?cs /if ?><?cs var:l.Text ?><?cs if:Diff.Same == 1 ?></span><?cs else ?></<?cs var:mark ?>><?cs /if ?><?cs /each ?><?cs else ?><span class="hint"><?cs var:Lang.Updates.EmptyValue ?></span><?cs /if ?><?cs /def ?>
<?cs # diff_table(u): the changed fields of an update or an offer, the copy's value beside the owner's ?>
<?cs def:diff_table(u) ?><table class="card-diff update-diff">
<caption class="visually-hidden"><?cs var:Lang.Updates.ForCard ?> <?cs var:u.Owner ?></caption>
<thead><tr><th scope="col"><?cs var:Lang.Updates.Field ?></th><th scope="col"><?cs var:Lang.Updates.Yours ?></th><th scope="col"><?cs var:Lang.Updates.Theirs ?></th></tr></thead>
<tbody>
<?cs each:ch = u.Changes ?><tr data-field="<?cs var:ch.Field ?>">
<th scope="row"><?cs alt:Lang.Card.Fields[ch.Field] ?><?cs var:ch.Field ?><?cs /alt ?></th>
<?cs if:ch.Image ?>
<td class="diff-old" data-label="<?cs var:Lang.Updates.Yours ?>"><?cs if:ch.OldImage ?><img src="<?cs var:ch.OldImage ?>&amp;thumb=1" alt="<?cs var:Lang.Updates.ImageOld ?>" class="card-thumb"><?cs else ?><span class="hint"><?cs var:Lang.Updates.EmptyValue ?></span><?cs /if ?></td>
<td class="diff-new" data-label="<?cs var:Lang.Updates.Theirs ?>"><?cs if:ch.NewImage ?><img src="<?cs var:ch.NewImage ?>&amp;thumb=1" alt="<?cs var:Lang.Updates.ImageNew ?>" class="card-thumb"><?cs else ?><span class="hint"><?cs var:Lang.Updates.EmptyValue ?></span><?cs /if ?></td>
<?cs else ?>
<td class="diff-old" data-label="<?cs var:Lang.Updates.Yours ?>"><?cs call:diff_side(ch.Old, ch.New, "del") ?></td>
<td class="diff-new" data-label="<?cs var:Lang.Updates.Theirs ?>"><?cs call:diff_side(ch.New, ch.Old, "ins") ?></td>
<?cs /if ?>
</tr><?cs /each ?>
</tbody>
</table><?cs /def ?>
<?cs # offer_item(u): a copy of a member's card that is not linked yet (u: Offers.N), what linking changes ?>
<?cs def:offer_item(u) ?>
<article class="update offer panel" id="offer-<?cs var:u.EntryId ?>" data-entry="<?cs var:u.EntryId ?>" aria-labelledby="offer-<?cs var:u.EntryId ?>-title">
<h3 id="offer-<?cs var:u.EntryId ?>-title"><?cs var:u.Owner ?></h3>
<?cs if:subcount(u.Changes) ?><?cs call:diff_table(u) ?><?cs else ?><p class="hint"><?cs var:Lang.Updates.OfferSame ?></p><?cs /if ?>
<div class="actions">
<form class="inline" method="post" action="/updates/<?cs var:u.EntryId ?>/link"><?cs call:csrf_field() ?><button type="submit"><?cs var:Lang.Updates.Link ?></button></form>
<form class="inline" method="post" action="/updates/<?cs var:u.EntryId ?>/dismiss"><?cs call:csrf_field() ?><button type="submit" class="secondary"><?cs var:Lang.Updates.Dismiss ?></button></form>
<a href="/folder/<?cs var:u.EntryId ?>"><?cs var:Lang.Updates.OpenEntry ?></a>
</div>
</article>
<?cs /def ?>
<?cs # update_item(u): one card's update (u: Pending.N or Declined.N) ?>
<?cs def:update_item(u) ?>
<?cs if:u.Declined == "1" ?><?cs set:uid = "declined-" + u.EntryId ?><?cs else ?><?cs set:uid = "update-" + u.EntryId ?><?cs /if ?>
<article class="update panel" id="<?cs var:uid ?>" data-entry="<?cs var:u.EntryId ?>" aria-labelledby="<?cs var:uid ?>-title">
<h3 id="<?cs var:uid ?>-title"><?cs var:u.Owner ?></h3>
<p class="hint"><?cs var:Lang.Updates.ChangedCard ?> · <?cs var:Lang.Updates.Revision ?> <?cs var:u.From ?> → <?cs var:u.To ?></p>
<?cs call:diff_table(u) ?>
<div class="actions">
<?cs if:u.Declined == "1" ?><form class="inline" method="post" action="/updates/<?cs var:u.EntryId ?>/accept-declined"><?cs call:csrf_field() ?><button type="submit"><?cs var:Lang.Updates.AcceptDeclined ?></button></form><?cs else ?><form class="inline" method="post" action="/updates/<?cs var:u.EntryId ?>/accept"><?cs call:csrf_field() ?><button type="submit"><?cs var:Lang.Updates.Accept ?></button></form><?cs /if ?>
<?cs if:u.Declined != "1" ?><form class="inline" method="post" action="/updates/<?cs var:u.EntryId ?>/decline"><?cs call:csrf_field() ?><button type="submit" class="secondary"><?cs var:Lang.Updates.Decline ?></button></form><?cs /if ?>
<?cs if:u.Auto != "1" && u.Declined != "1" ?><form class="inline" method="post" action="/updates/<?cs var:u.EntryId ?>/policy"><?cs call:csrf_field() ?><input type="hidden" name="auto_update" value="1"><button type="submit" class="link" aria-describedby="<?cs var:uid ?>-auto-hint"><?cs var:Lang.Updates.AutoOn ?></button><span class="visually-hidden" id="<?cs var:uid ?>-auto-hint"><?cs var:Lang.Updates.AutoHint ?></span></form><?cs /if ?>
<a href="/folder/<?cs var:u.EntryId ?>"><?cs var:Lang.Updates.OpenEntry ?></a>
</div>
</article>
<?cs /def ?>
<div class="page-head"><h1><?cs var:Lang.Updates.Title ?></h1>
<form method="get" action="/updates" class="inline"><input type="hidden" name="check" value="1"><button type="submit" class="secondary" aria-describedby="check-hint"><?cs var:Lang.Updates.Check ?></button></form></div>
<?cs if:Updates.Done ?><p class="notice" role="status"><?cs var:Lang.Updates.Done[Updates.Done] ?></p><?cs /if ?>
<?cs if:Updates.Checked ?><p class="notice" role="status"><?cs var:Lang.Updates.Checked ?></p><?cs /if ?>
<section class="panel">
<p><?cs var:Lang.Updates.Intro ?></p>
<p class="hint" id="check-hint"><?cs var:Lang.Updates.CheckHint ?></p>
<p class="hint"><?cs var:Lang.Updates.AutoSettings ?> <a href="/settings"><?cs var:Lang.Updates.SettingsLink ?></a></p>
<?cs if:subcount(Pending) ?>
<h2><?cs var:Lang.Updates.Behind ?> <span class="count" id="pending-count"><?cs var:Updates.Count ?></span></h2>
<p class="hint"><?cs var:Lang.Updates.Unchanged ?></p>
<div class="actions">
<form class="inline" method="post" action="/updates/accept-all"><?cs call:csrf_field() ?><button type="submit"><?cs var:Lang.Updates.AcceptAll ?></button></form>
<form class="inline" method="post" action="/updates/decline-all"><?cs call:csrf_field() ?><button type="submit" class="secondary"><?cs var:Lang.Updates.DeclineAll ?></button></form>
</div>
<?cs elif:!Updates.Paged && subcount(Declined) ?>
<p id="no-updates"><?cs var:Lang.Updates.NoneNew ?></p>
<?cs elif:!Updates.Paged ?>
<p id="no-updates"><?cs var:Lang.Updates.Empty ?></p>
<?cs /if ?>
</section>
<?cs if:subcount(Pending) ?><div class="updates-list"><?cs each:u = Pending ?><?cs call:update_item(u) ?><?cs /each ?></div><?cs /if ?>
<?cs if:subcount(Offers) ?>
<section class="panel updates-offers" aria-labelledby="offers-title">
<h2 id="offers-title"><?cs var:Lang.Updates.OffersTitle ?> <span class="count" id="offer-count"><?cs var:Updates.OfferCount ?></span></h2>
<p class="hint"><?cs var:Lang.Updates.OffersIntro ?></p>
<?cs each:u = Offers ?><?cs call:offer_item(u) ?><?cs /each ?>
<?cs if:Updates.OffersMore ?><p class="hint"><?cs var:Lang.Updates.OffersMore ?></p><?cs /if ?>
</section>
<?cs /if ?>
<?cs if:subcount(Declined) ?>
<section class="panel updates-declined">
<h2><?cs var:Lang.Updates.DeclinedTitle ?></h2>
<p class="hint"><?cs var:Lang.Updates.DeclinedIntro ?></p>
<?cs each:u = Declined ?><?cs call:update_item(u) ?><?cs /each ?>
</section>
<?cs /if ?>
<?cs if:Updates.Next || Updates.Paged ?><nav class="pager" aria-label="<?cs var:Lang.Updates.Pager ?>"><?cs if:Updates.Paged ?><a href="/updates"><?cs var:Lang.Updates.Newest ?></a><?cs /if ?><?cs if:Updates.Next ?> <a rel="next" href="/updates?cursor=<?cs var:Updates.Next ?>"><?cs var:Lang.Updates.Older ?></a><?cs /if ?></nav><?cs /if ?>
<?cs include:"footer.cs" ?>
