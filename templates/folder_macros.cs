<?cs # folder_macros.cs: pieces of the folder pages: member badges, the card editor, the duplicate choice ?>
<?cs # badges(e): what the folder knows about the owner of entry e (an update links to its before/after view) ?>
<?cs def:badges(e) ?><span class="badges"><?cs if:e.Member == "1" ?><span class="badge badge-member"><?cs var:Lang.Folder.Badge.Member ?></span><?cs else ?><span class="badge badge-nonmember"><?cs var:Lang.Folder.Badge.NotMember ?></span><?cs /if ?>
<?cs if:e.SavedMyCard == "1" ?> <span class="badge badge-saved"><?cs var:Lang.Folder.Badge.SavedMyCard ?></span><?cs /if ?>
<?cs if:e.Linked == "1" ?> <span class="badge badge-linked"><?cs var:Lang.Folder.Badge.Linked ?></span><?cs /if ?>
<?cs if:e.UpdatePending ?> <a class="badge badge-update" href="/updates#update-<?cs var:e.Id ?>"><?cs var:Lang.Folder.Badge.UpdatePending ?></a><?cs /if ?>
<?cs if:e.LinkOffer ?> <a class="badge badge-offer" href="/folder/<?cs var:e.Id ?>#keep-updated"><?cs var:Lang.Folder.Badge.LinkOffer ?></a><?cs /if ?></span><?cs /def ?>
<?cs # folder_item(e): one saved card in the folder list: a compact card tile, its picture, badges and tags (htdocs/folder.js draws the same markup from the JSON API; the list page's tiles are written by lib/foldertile.c, which tests/unit/t_foldertile.c holds byte-identical to this macro) ?>
<?cs def:folder_item(e) ?><li class="folder-entry" id="entry-<?cs var:e.Id ?>">
<?cs call:card_tile(e.Card, "/folder/" + e.Id) ?>
<?cs if:e.Front ?><img class="card-thumb folder-thumb" src="/api/v1/folder/<?cs var:e.Id ?>/images/front?thumb=1&amp;v=<?cs var:e.Front ?>" alt="" loading="lazy"><?cs /if ?>
<div class="folder-meta"><?cs call:badges(e) ?>
<?cs if:subcount(e.Tags) ?><span class="folder-tags"><?cs each:t = e.Tags ?><a href="/folder?tag=<?cs var:url_escape(t) ?>">#<?cs var:t ?></a> <?cs /each ?></span><?cs /if ?></div>
</li><?cs /def ?>
<?cs # dup_choice(): the on_duplicate field of a form ?>
<?cs def:dup_choice() ?>
<label for="on_duplicate"><?cs var:Lang.Folder.Dup.Label ?></label>
<select id="on_duplicate" name="on_duplicate">
<option value="skip" selected><?cs var:Lang.Folder.Dup.skip ?></option>
<option value="merge"><?cs var:Lang.Folder.Dup.merge ?></option>
<option value="keep"><?cs var:Lang.Folder.Dup.keep ?></option>
</select><?cs /def ?>
<?cs # card_editor(): the fields of a card from Form.* (the own card's editor layout) ?>
<?cs def:card_editor() ?>
<label for="full_name"><?cs var:Lang.Card.Fields.full_name ?></label>
<input id="full_name" name="full_name" required maxlength="200" value="<?cs var:Form.full_name ?>">
<fieldset><legend><?cs var:Lang.Card.Fields.name ?></legend>
<div class="card-row">
<?cs each:part = Form.name ?><div><label for="name-<?cs name:part ?>"><?cs var:Lang.Card.Parts[name(part)] ?></label>
<input id="name-<?cs name:part ?>" name="name.<?cs name:part ?>" maxlength="200" value="<?cs var:part ?>"></div>
<?cs /each ?></div>
</fieldset>
<div class="card-row">
<div><label for="organization"><?cs var:Lang.Card.Fields.organization ?></label>
<input id="organization" name="organization" maxlength="200" value="<?cs var:Form.organization ?>"></div>
<div><label for="department"><?cs var:Lang.Card.Fields.department ?></label>
<input id="department" name="department" maxlength="200" value="<?cs var:Form.department ?>"></div>
<div><label for="title"><?cs var:Lang.Card.Fields.title ?></label>
<input id="title" name="title" maxlength="200" value="<?cs var:Form.title ?>"></div>
</div>
<p class="hint"><?cs var:Lang.Card.AddHint ?></p>
<fieldset><legend><?cs var:Lang.Card.Fields.emails ?></legend>
<?cs each:row = Form.emails ?><div class="card-row item">
<div class="type"><label for="emails-<?cs name:row ?>-type"><?cs var:Lang.Card.Parts.type ?></label><?cs call:type_select("emails-" + name(row) + "-type", "emails." + name(row) + ".type", row.type, Choices.emails) ?></div>
<div><label for="emails-<?cs name:row ?>-value"><?cs var:Lang.Card.Parts.value ?></label>
<input id="emails-<?cs name:row ?>-value" name="emails.<?cs name:row ?>.value" maxlength="254" value="<?cs var:row.value ?>"></div>
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
<?cs each:row = Form.addresses ?><div class="card-row address">
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
</div><?cs /each ?>
</fieldset>
<fieldset><legend><?cs var:Lang.Card.Fields.urls ?></legend>
<?cs each:row = Form.urls ?><div class="card-row item">
<div class="type"><label for="urls-<?cs name:row ?>-type"><?cs var:Lang.Card.Parts.type ?></label><?cs call:type_select("urls-" + name(row) + "-type", "urls." + name(row) + ".type", row.type, Choices.urls) ?></div>
<div><label for="urls-<?cs name:row ?>-value"><?cs var:Lang.Card.Parts.value ?></label>
<input id="urls-<?cs name:row ?>-value" name="urls.<?cs name:row ?>.value" type="url" maxlength="2048" value="<?cs var:row.value ?>"></div>
</div><?cs /each ?>
</fieldset>
<label for="note"><?cs var:Lang.Card.Fields.note ?></label>
<textarea id="note" name="note" rows="3" maxlength="4000"><?cs var:Form.note ?></textarea>
<fieldset><legend><?cs var:Lang.Folder.Entry.Notes ?></legend>
<label for="notes" class="visually-hidden"><?cs var:Lang.Folder.Entry.Notes ?></label>
<textarea id="notes" name="notes" rows="3" maxlength="4000"><?cs var:Form.notes ?></textarea>
<p class="hint"><?cs var:Lang.Folder.Entry.NotesHint ?></p>
<label for="tags"><?cs var:Lang.Folder.Entry.Tags ?></label>
<input id="tags" name="tags" maxlength="2000" value="<?cs var:Form.tags ?>">
<p class="hint"><?cs var:Lang.Folder.Entry.TagsHint ?></p>
</fieldset>
<?cs /def ?>
