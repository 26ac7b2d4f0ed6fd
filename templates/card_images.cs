<?cs # card_images.cs: upload, replace and remove the front and back images of the member's card ?>
<?cs set:Page.Title = Lang.Card.Images.Title ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?>
<link rel="stylesheet" href="/static/card.css">
<?cs call:card_nav("images") ?>
<section class="panel">
<h1><?cs var:Lang.Card.Images.Title ?></h1>
<?cs if:Query.saved ?><p class="notice" role="status"><?cs var:Lang.Card.Images.Saved ?></p><?cs /if ?>
<?cs if:Query.deleted ?><p class="notice" role="status"><?cs var:Lang.Card.Images.Deleted ?></p><?cs /if ?>
<?cs call:card_error() ?>
<p class="hint"><?cs var:Lang.Card.Images.Intro ?> <?cs var:Images.MaxMiB ?> <?cs var:Lang.Card.Images.MiB ?></p>
</section>
<?cs loop:i = 0, 1, 1 ?><?cs if:i == 0 ?><?cs set:Tmp.Side = "front" ?><?cs set:Tmp.Hash = Card.Front ?><?cs else ?><?cs set:Tmp.Side = "back" ?><?cs set:Tmp.Hash = Card.Back ?><?cs /if ?>
<section class="panel" id="<?cs var:Tmp.Side ?>">
<h2><?cs if:i == 0 ?><?cs var:Lang.Card.Images.Front ?><?cs else ?><?cs var:Lang.Card.Images.Back ?><?cs /if ?></h2>
<?cs if:Tmp.Hash ?>
<p class="card-image"><a href="/api/v1/card/images/<?cs var:Tmp.Side ?>?v=<?cs var:Tmp.Hash ?>"><img src="/api/v1/card/images/<?cs var:Tmp.Side ?>?thumb=1&amp;v=<?cs var:Tmp.Hash ?>" alt="<?cs if:i == 0 ?><?cs var:Lang.Card.Public.FrontAlt ?><?cs else ?><?cs var:Lang.Card.Public.BackAlt ?><?cs /if ?>"></a></p>
<p><a href="/api/v1/card/images/<?cs var:Tmp.Side ?>?v=<?cs var:Tmp.Hash ?>"><?cs var:Lang.Card.Images.Full ?></a></p>
<form method="post" action="/card/images/<?cs var:Tmp.Side ?>/delete"><?cs call:csrf_field() ?><button type="submit" class="link"><?cs var:Lang.Card.Images.Delete ?></button></form>
<?cs else ?><p class="hint"><?cs var:Lang.Card.Images.None ?></p><?cs /if ?>
<form method="post" action="/card/images/<?cs var:Tmp.Side ?>" enctype="multipart/form-data">
<?cs call:csrf_field() ?>
<label for="image-<?cs var:Tmp.Side ?>"><?cs var:Lang.Card.Images.Choose ?></label>
<input id="image-<?cs var:Tmp.Side ?>" name="image" type="file" required accept="image/jpeg,image/png,image/webp">
<button type="submit"><?cs if:Tmp.Hash ?><?cs var:Lang.Card.Images.Replace ?><?cs else ?><?cs var:Lang.Card.Images.Upload ?><?cs /if ?></button>
</form>
</section>
<?cs /loop ?>
<?cs include:"footer.cs" ?>
