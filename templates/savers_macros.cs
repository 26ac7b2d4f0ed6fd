<?cs # savers_macros.cs: how a saver (member or subscriber) is shown on the list and in letters ?>
<?cs # saver_contact(s): the saver's title, organisation, e-mail addresses, phone numbers and card link ?>
<?cs def:saver_contact(s) ?><?cs if:s.Title || s.Organization ?><span class="card-org"><?cs var:s.Title ?><?cs if:s.Title && s.Organization ?> · <?cs /if ?><?cs var:s.Organization ?></span><?cs /if ?>
<?cs if:subcount(s.Emails) || subcount(s.Phones) ?><span class="saver-contact"><?cs each:p = s.Phones ?><a class="card-line" href="tel:<?cs var:p ?>"><?cs if:p.Display ?><?cs var:p.Display ?><?cs else ?><?cs var:p ?><?cs /if ?></a> <?cs /each ?><?cs each:m = s.Emails ?><a class="card-line" href="mailto:<?cs var:m ?>"><?cs var:m ?></a> <?cs /each ?></span><?cs /if ?>
<?cs if:s.CardURL ?><a class="saver-card" href="<?cs var:s.CardURL ?>"><?cs var:Lang.Savers.Card ?><span class="visually-hidden">: <?cs var:s.FullName ?></span></a><?cs /if ?><?cs /def ?>
<?cs # saver_badge(s): member or not ?>
<?cs def:saver_badge(s) ?><?cs if:s.IsMember == "1" ?><span class="badge badge-member"><?cs var:Lang.Savers.Member ?></span><?cs else ?><span class="badge"><?cs var:Lang.Savers.NotMember ?></span><?cs /if ?><?cs /def ?>
<?cs # saver_state(s): whether the saver receives the owner's updates: linked, could (a matched copy, not linked), subscribed (e-mail or SMS) ?>
<?cs def:saver_state(s) ?><?cs if:s.State ?> <span class="badge saver-state badge-<?cs if:s.State == "linked" ?>linked<?cs elif:s.State == "could" ?>offer<?cs else ?>saved<?cs /if ?>" data-state="<?cs var:s.State ?>"><?cs alt:Lang.Savers.State[s.State] ?><?cs var:s.State ?><?cs /alt ?></span><?cs /if ?><?cs /def ?>
<?cs # saver_tile(s): one saver as a compact card on the savers list, with its state and the button that removes it ?>
<?cs def:saver_tile(s) ?><li class="saver saver-<?cs var:s.Kind ?>">
<div class="card-face bcard compact">
<span class="card-name"><?cs var:s.FullName ?></span>
<?cs call:saver_contact(s) ?>
</div>
<div class="saver-meta"><?cs call:saver_badge(s) ?><?cs call:saver_state(s) ?> <span class="hint"><?cs alt:Lang.Savers.How[s.How] ?><?cs var:s.How ?><?cs /alt ?> · <?cs var:Lang.Savers.Since ?> <?cs call:when(s.Since) ?></span></div>
<?cs if:s.Held ?><p class="hint saver-held" id="saver-held-<?cs var:s.Kind ?>-<?cs var:s.Id ?>"><?cs var:Lang.Savers.Held.A ?> <strong><?cs var:s.Held ?></strong> <?cs var:Lang.Savers.Held.B ?> <?cs call:when(s.HeldSince) ?><?cs var:Lang.Savers.Held.C ?></p><?cs /if ?>
<?cs if:s.Id ?><form class="inline saver-remove" method="post" action="/savers/<?cs if:s.Kind == "member" ?>members<?cs else ?>subscribers<?cs /if ?>/<?cs var:s.Id ?>/remove"><?cs call:csrf_field() ?><button type="submit" class="link" aria-describedby="savers-remove-hint"><?cs var:Lang.Savers.Remove ?><span class="visually-hidden">: <?cs var:s.FullName ?></span></button></form><?cs /if ?>
</li><?cs /def ?>
