<?cs # card.cs: the member's own card: the editor for every field of it, next to a live preview (htdocs/card.js) ?>
<?cs set:Page.Title = Lang.Card.Title ?><?cs set:Page.Nav = "card" ?><?cs set:Page.Scripts.0 = "/static/card.js" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?>
<div class="page-head"><h1><?cs var:Lang.Card.Title ?></h1><?cs if:Card.Revision != 0 ?><a class="button secondary" href="<?cs var:Share.Path ?>"><?cs var:Lang.Card.PublicPage ?></a><?cs /if ?></div>
<?cs call:card_nav("card") ?>
<?cs if:Query.saved ?><p class="notice" role="status"><?cs var:Lang.Card.Saved ?></p><?cs /if ?>
<?cs if:Query.unchanged ?><p class="notice" role="status"><?cs var:Lang.Card.Unchanged ?></p><?cs /if ?>
<p class="hint"><?cs var:Lang.Card.Intro ?></p>
<div class="editor">
<section class="panel editor-preview" aria-labelledby="preview-title">
<h2 id="preview-title"><?cs var:Lang.Card.Preview.Title ?></h2>
<div id="card-preview" data-empty="<?cs var:Lang.Card.Preview.NoName ?>">
<?cs call:card_show(Card) ?>
</div>
<p class="hint" id="preview-note" data-live="<?cs var:Lang.Card.Preview.Live ?>"><?cs if:Card.Revision == 0 ?><?cs var:Lang.Card.Preview.New ?><?cs else ?><?cs var:Lang.Card.Preview.Saved ?><?cs /if ?></p>
<?cs if:Card.Front || Card.Back ?><div class="card-images">
<?cs if:Card.Front ?><a class="card-image" href="/api/v1/card/images/front?v=<?cs var:Card.Front ?>"><img class="card-thumb" src="/api/v1/card/images/front?thumb=1&amp;v=<?cs var:Card.Front ?>" alt="<?cs var:Lang.Card.Public.FrontAlt ?>"></a><?cs /if ?>
<?cs if:Card.Back ?><a class="card-image" href="/api/v1/card/images/back?v=<?cs var:Card.Back ?>"><img class="card-thumb" src="/api/v1/card/images/back?thumb=1&amp;v=<?cs var:Card.Back ?>" alt="<?cs var:Lang.Card.Public.BackAlt ?>"></a><?cs /if ?>
</div><?cs /if ?>
<ul class="inline-list">
<li><a href="/card/images"><?cs if:Card.Front ?><?cs var:Lang.Card.Images.Title ?><?cs else ?><?cs var:Lang.Card.Images.AddFront ?><?cs /if ?></a></li>
<li><a href="/card/share"><?cs var:Lang.Card.Share.Title ?></a></li>
<li><a href="/api/v1/card.vcf"><?cs var:Lang.Card.Vcard ?></a> <a href="/api/v1/card.vcf?version=3.0"><?cs var:Lang.Card.Download3 ?></a></li>
</ul>
<p class="card-meta"><?cs if:Card.Revision == 0 ?><?cs var:Lang.Card.NeverSaved ?><?cs else ?><a href="/card/history"><?cs var:Lang.Card.Revision ?> <?cs var:Card.Revision ?></a> · <?cs var:Lang.Card.UpdatedAt ?> <?cs call:when(Card.UpdatedAt) ?><?cs /if ?></p>
</section>
<section class="panel editor-form" id="edit" aria-labelledby="edit-title">
<h2 id="edit-title"><?cs var:Lang.Card.Edit ?></h2>
<?cs call:card_error() ?>
<form method="post" action="/card" class="card-editor" id="card-form">
<?cs call:csrf_field() ?>
<input type="hidden" name="revision" value="<?cs var:Card.Revision ?>">
<label for="full_name"><?cs var:Lang.Card.Fields.full_name ?></label>
<input id="full_name" name="full_name" required maxlength="200" autocomplete="name" value="<?cs var:Form.full_name ?>">
<?cs set:Tmp.NameSet = 0 ?><?cs each:part = Form.name ?><?cs if:part ?><?cs set:Tmp.NameSet = 1 ?><?cs /if ?><?cs /each ?>
<details class="more-fields"<?cs if:Tmp.NameSet || Form.Field == "name" ?> open<?cs /if ?>>
<summary><?cs var:Lang.Card.NameParts ?></summary>
<fieldset><legend><?cs var:Lang.Card.Fields.name ?></legend>
<div class="card-row">
<?cs each:part = Form.name ?><div><label for="name-<?cs name:part ?>"><?cs var:Lang.Card.Parts[name(part)] ?></label>
<input id="name-<?cs name:part ?>" name="name.<?cs name:part ?>" maxlength="200" value="<?cs var:part ?>"></div>
<?cs /each ?></div>
</fieldset>
</details>
<div class="card-row">
<div><label for="organization"><?cs var:Lang.Card.Fields.organization ?></label>
<input id="organization" name="organization" maxlength="200" autocomplete="organization" value="<?cs var:Form.organization ?>"></div>
<div><label for="department"><?cs var:Lang.Card.Fields.department ?></label>
<input id="department" name="department" maxlength="200" value="<?cs var:Form.department ?>"></div>
<div><label for="title"><?cs var:Lang.Card.Fields.title ?></label>
<input id="title" name="title" maxlength="200" autocomplete="organization-title" value="<?cs var:Form.title ?>"></div>
</div>
<p class="hint"><?cs var:Lang.Card.AddHint ?></p>
<fieldset><legend><?cs var:Lang.Card.Fields.emails ?></legend>
<?cs each:row = Form.emails ?><div class="card-row item">
<div class="type"><label for="emails-<?cs name:row ?>-type"><?cs var:Lang.Card.Parts.type ?></label><?cs call:type_select("emails-" + name(row) + "-type", "emails." + name(row) + ".type", row.type, Choices.emails) ?></div>
<div><label for="emails-<?cs name:row ?>-value"><?cs var:Lang.Card.Parts.value ?></label>
<input id="emails-<?cs name:row ?>-value" name="emails.<?cs name:row ?>.value" type="email" maxlength="254" value="<?cs var:row.value ?>"></div>
</div><?cs /each ?>
</fieldset>
<fieldset><legend><?cs var:Lang.Card.Fields.phones ?></legend>
<?cs each:row = Form.phones ?><div class="card-row item">
<div class="type"><label for="phones-<?cs name:row ?>-type"><?cs var:Lang.Card.Parts.type ?></label><?cs call:type_select("phones-" + name(row) + "-type", "phones." + name(row) + ".type", row.type, Choices.phones) ?></div>
<div><label for="phones-<?cs name:row ?>-value"><?cs var:Lang.Card.Parts.value ?></label>
<input id="phones-<?cs name:row ?>-value" name="phones.<?cs name:row ?>.value" type="tel" maxlength="40" value="<?cs var:row.value ?>"></div>
</div><?cs /each ?>
<p class="hint"><?cs var:Lang.Card.PhoneHint ?></p>
</fieldset>
<fieldset><legend><?cs var:Lang.Card.Fields.addresses ?></legend>
<?cs set:Tmp.Empty = 0 ?><?cs each:row = Form.addresses ?><?cs if:!row.street && !row.locality && !row.region && !row.postal_code && !row.country ?><?cs set:Tmp.Empty = #Tmp.Empty + #1 ?><?cs if:#Tmp.Empty == #2 ?><details class="more-fields"><summary><?cs var:Lang.Card.MoreAddresses ?></summary><?cs /if ?><?cs /if ?><div class="card-row address">
<div class="type"><label for="addresses-<?cs name:row ?>-type"><?cs var:Lang.Card.Parts.type ?></label><?cs call:type_select("addresses-" + name(row) + "-type", "addresses." + name(row) + ".type", row.type, Choices.addresses) ?></div>
<div class="wide"><label for="addresses-<?cs name:row ?>-street"><?cs var:Lang.Card.Parts.street ?></label>
<input id="addresses-<?cs name:row ?>-street" name="addresses.<?cs name:row ?>.street" maxlength="200" value="<?cs var:row.street ?>"></div>
<div><label for="addresses-<?cs name:row ?>-locality"><?cs var:Lang.Card.Parts.locality ?></label>
<input id="addresses-<?cs name:row ?>-locality" name="addresses.<?cs name:row ?>.locality" maxlength="200" value="<?cs var:row.locality ?>"></div>
<div><label for="addresses-<?cs name:row ?>-region"><?cs var:Lang.Card.Parts.region ?></label>
<input id="addresses-<?cs name:row ?>-region" name="addresses.<?cs name:row ?>.region" maxlength="200" value="<?cs var:row.region ?>"></div>
<div><label for="addresses-<?cs name:row ?>-postal_code"><?cs var:Lang.Card.Parts.postal_code ?></label>
<input id="addresses-<?cs name:row ?>-postal_code" name="addresses.<?cs name:row ?>.postal_code" maxlength="200" value="<?cs var:row.postal_code ?>"></div>
<div><label for="addresses-<?cs name:row ?>-country"><?cs var:Lang.Card.Parts.country ?></label>
<input id="addresses-<?cs name:row ?>-country" name="addresses.<?cs name:row ?>.country" maxlength="200" value="<?cs var:row.country ?>"></div>
</div><?cs /each ?><?cs if:#Tmp.Empty >= #2 ?></details><?cs /if ?>
</fieldset>
<fieldset><legend><?cs var:Lang.Card.Fields.urls ?></legend>
<?cs each:row = Form.urls ?><div class="card-row item">
<div class="type"><label for="urls-<?cs name:row ?>-type"><?cs var:Lang.Card.Parts.type ?></label><?cs call:type_select("urls-" + name(row) + "-type", "urls." + name(row) + ".type", row.type, Choices.urls) ?></div>
<div><label for="urls-<?cs name:row ?>-value"><?cs var:Lang.Card.Parts.value ?></label>
<input id="urls-<?cs name:row ?>-value" name="urls.<?cs name:row ?>.value" type="url" maxlength="2048" value="<?cs var:row.value ?>"></div>
</div><?cs /each ?>
</fieldset>
<label for="note"><?cs var:Lang.Card.Fields.note ?></label>
<textarea id="note" name="note" rows="4" maxlength="4000"><?cs var:Form.note ?></textarea>
<div class="actions"><button type="submit"><?cs var:Lang.Card.Save ?></button></div>
</form>
</section>
</div>
<?cs include:"footer.cs" ?>
