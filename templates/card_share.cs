<?cs # card_share.cs: what the member's public card page shows, its link, QR code, and a new link ?>
<?cs set:Page.Nav = "card" ?><?cs set:Page.Title = Lang.Card.Share.Title ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?>
<div class="page-head"><h1><?cs var:Lang.Card.Share.Title ?></h1></div>
<?cs call:card_nav("share") ?>
<section class="panel">
<?cs if:Query.saved ?><p class="notice" role="status"><?cs var:Lang.Card.Share.Saved ?></p><?cs /if ?>
<?cs if:Query.rotated ?><p class="notice" role="status"><?cs var:Lang.Card.Share.Rotated ?></p><?cs /if ?>
<p class="hint"><?cs var:Lang.Card.Share.Intro ?></p>
<h2><?cs var:Lang.Card.Share.Link ?></h2>
<p class="card-link" data-copy="<?cs var:Share.Url ?>" data-copy-label="<?cs var:Lang.Card.Share.Copy ?>" data-copied="<?cs var:Lang.Card.Share.Copied ?>"><a href="<?cs var:Share.Path ?>"><?cs var:Share.Url ?></a></p>
<p class="card-qr"><img src="<?cs var:Share.Path ?>/qr.svg" alt="<?cs var:Lang.Card.Share.QR ?>" width="200" height="200"></p>
<p><a href="<?cs var:Share.Path ?>.vcf"><?cs var:Lang.Card.Share.Vcard ?></a></p>
</section>
<section class="panel">
<h2><?cs var:Lang.Card.Share.Fields ?></h2>
<form method="post" action="/card/share">
<?cs call:csrf_field() ?>
<?cs each:f = Share.Fields ?>
<label class="check"><input type="checkbox" name="visible" value="<?cs var:f.Name ?>"<?cs if:f.On ?> checked<?cs /if ?><?cs if:f.Name == "full_name" ?> disabled<?cs /if ?>> <?cs var:Lang.Card.Fields[f.Name] ?><?cs if:f.Name == "full_name" ?> <span class="hint">(<?cs var:Lang.Card.Share.Always ?>)</span><?cs /if ?></label>
<?cs /each ?>
<button type="submit"><?cs var:Lang.Card.Share.Save ?></button>
</form>
</section>
<section class="panel" id="rotate">
<h2><?cs var:Lang.Card.Share.Rotate ?></h2>
<?cs if:Query.rotate == "confirm" ?>
<div class="confirm" role="alert">
<p><strong><?cs var:Lang.Card.Share.RotateAsk ?></strong></p>
<p><?cs var:Lang.Card.Share.RotateStops ?></p>
</div>
<form method="post" action="/card/share/rotate"><?cs call:csrf_field() ?><input type="hidden" name="confirm" value="1"><button type="submit" class="danger"><?cs var:Lang.Card.Share.RotateConfirm ?></button> <a href="/card/share"><?cs var:Lang.Card.Share.RotateCancel ?></a></form>
<?cs else ?>
<p class="hint"><?cs var:Lang.Card.Share.RotateHint ?></p>
<p><a class="button secondary" href="/card/share?rotate=confirm#rotate"><?cs var:Lang.Card.Share.Rotate ?></a></p>
<?cs /if ?>
</section>
<?cs include:"footer.cs" ?>
