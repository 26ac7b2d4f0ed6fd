<?cs # card_macros.cs: showing a card, its labels, and the editor's pieces (module 101) ?>
<?cs def:type_label(t) ?><?cs alt:Lang.Card.Types[t] ?><?cs alt:Lang.Card.Parts[t] ?><?cs var:t ?><?cs /alt ?><?cs /alt ?><?cs /def ?>
<?cs def:card_items(list, field, scheme) ?><?cs if:subcount(list) ?>
<dt><?cs var:Lang.Card.Fields[field] ?></dt>
<?cs each:it = list ?><dd><span class="card-type"><?cs call:type_label(it.Type) ?></span> <?cs if:scheme == "mailto" ?><a href="mailto:<?cs var:it.Value ?>"><?cs var:it.Value ?></a><?cs elif:scheme == "tel" ?><a href="tel:<?cs var:it.Value ?>"><?cs if:it.Display ?><?cs var:it.Display ?><?cs else ?><?cs var:it.Value ?><?cs /if ?></a><?cs elif:scheme == "url" && it.Link ?><a href="<?cs var:it.Value ?>" rel="nofollow noopener noreferrer"><?cs var:it.Value ?></a><?cs else ?><?cs var:it.Value ?><?cs /if ?></dd><?cs /each ?>
<?cs /if ?><?cs /def ?>
<?cs # card_show: a card drawn as a business card (c: Card, At, ... as set by owncard_hdf) ?>
<?cs def:card_show(c) ?>
<div class="card-face bcard">
<p class="card-name"><?cs var:c.FullName ?></p>
<?cs if:c.Title || c.Department || c.Organization ?><p class="card-org"><?cs if:c.Title ?><?cs var:c.Title ?><?cs /if ?><?cs if:c.Title && (c.Department || c.Organization) ?> · <?cs /if ?><?cs if:c.Department ?><?cs var:c.Department ?><?cs if:c.Organization ?>, <?cs /if ?><?cs /if ?><?cs var:c.Organization ?></p><?cs /if ?>
<dl class="card-fields">
<?cs if:c.Has.name ?><dt><?cs var:Lang.Card.Fields.name ?></dt><dd class="card-structured-name"><?cs if:c.Name.Prefix ?><?cs var:c.Name.Prefix ?> <?cs /if ?><?cs var:c.Name.Given ?><?cs if:c.Name.Additional ?> <?cs var:c.Name.Additional ?><?cs /if ?> <?cs var:c.Name.Family ?><?cs if:c.Name.Suffix ?> <?cs var:c.Name.Suffix ?><?cs /if ?></dd><?cs /if ?>
<?cs call:card_items(c.Emails, "emails", "mailto") ?>
<?cs call:card_items(c.Phones, "phones", "tel") ?>
<?cs if:subcount(c.Addresses) ?><dt><?cs var:Lang.Card.Fields.addresses ?></dt>
<?cs each:ad = c.Addresses ?><dd><span class="card-type"><?cs call:type_label(ad.Type) ?></span> <span class="card-address"><?cs if:ad.Street ?><?cs var:ad.Street ?><br><?cs /if ?><?cs if:ad.PostalCode ?><?cs var:ad.PostalCode ?> <?cs /if ?><?cs var:ad.Locality ?><?cs if:ad.Region ?>, <?cs var:ad.Region ?><?cs /if ?><?cs if:ad.Country ?><br><?cs var:ad.Country ?><?cs /if ?></span></dd><?cs /each ?>
<?cs /if ?>
<?cs call:card_items(c.Urls, "urls", "url") ?>
<?cs if:c.Note ?><dt><?cs var:Lang.Card.Fields.note ?></dt><dd class="card-note"><?cs var:c.Note ?></dd><?cs /if ?>
</dl>
</div>
<?cs /def ?>
<?cs # card_tile: a compact card for lists (name, organisation, first phone and e-mail), a link to href ?>
<?cs def:card_tile(c, href) ?><a class="card-face bcard compact" href="<?cs var:href ?>">
<span class="card-name"><?cs var:c.FullName ?></span>
<?cs if:c.Title || c.Organization ?><span class="card-org"><?cs var:c.Title ?><?cs if:c.Title && c.Organization ?> · <?cs /if ?><?cs var:c.Organization ?></span><?cs /if ?>
<?cs if:c.Phones.0.Value ?><span class="card-line"><?cs if:c.Phones.0.Display ?><?cs var:c.Phones.0.Display ?><?cs else ?><?cs var:c.Phones.0.Value ?><?cs /if ?></span><?cs /if ?>
<?cs if:c.Emails.0.Value ?><span class="card-line"><?cs var:c.Emails.0.Value ?></span><?cs /if ?>
</a><?cs /def ?>
<?cs # card_nav: the member's card sections; active is the current one ?>
<?cs def:card_nav(active) ?>
<nav class="card-nav" aria-label="<?cs var:Lang.Card.Nav.Label ?>">
<a href="/card"<?cs if:active == "card" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Card.Nav.Card ?></a>
<a href="/card/images"<?cs if:active == "images" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Card.Nav.Images ?></a>
<a href="/card/history"<?cs if:active == "history" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Card.Nav.History ?></a>
<a href="/card/share"<?cs if:active == "share" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Card.Nav.Share ?></a>
</nav>
<?cs /def ?>
<?cs # type_select: a <select> of item types; a stored type not offered stays selectable ?>
<?cs def:type_select(id, name, cur, choices) ?>
<select id="<?cs var:id ?>" name="<?cs var:name ?>"><?cs set:Tmp.Found = 0 ?>
<?cs each:ch = choices ?><option value="<?cs var:ch ?>"<?cs if:ch == cur ?> selected<?cs set:Tmp.Found = 1 ?><?cs /if ?>><?cs call:type_label(ch) ?></option><?cs /each ?>
<?cs if:!Tmp.Found && cur ?><option value="<?cs var:cur ?>" selected><?cs call:type_label(cur) ?></option><?cs /if ?>
</select><?cs /def ?>
<?cs # card_error: the form error, with the field at fault when known ?>
<?cs def:card_error() ?><?cs if:Form.Error ?><div class="error" role="alert"><p><?cs alt:Lang.Errors[Form.Error] ?><?cs var:Lang.Errors.generic ?><?cs /alt ?></p><?cs if:Form.Field && Form.Field != "revision" ?><p class="hint"><?cs var:Lang.Card.FieldHint ?> <code><?cs var:Form.Field ?></code></p><?cs /if ?><?cs if:Form.Error == "stale_revision" ?><p class="hint"><?cs var:Lang.Card.StaleHint ?></p><?cs /if ?></div><?cs /if ?><?cs /def ?>
<?cs # diff_lines: one side of a changed field on the revision page ?>
<?cs def:diff_lines(lines) ?><?cs if:subcount(lines) ?><?cs each:l = lines ?><span class="diff-line"><?cs if:l.Label ?><span class="card-type"><?cs call:type_label(l.Label) ?></span> <?cs /if ?><?cs var:l.Text ?></span><?cs /each ?><?cs else ?><span class="hint"><?cs var:Lang.Card.Empty ?></span><?cs /if ?><?cs /def ?>
