<?cs # card_images.cs: upload, replace and remove the front and back images of the member's card (card.js adds preview and progress) ?>
<?cs set:Page.Title = Lang.Card.Images.Title ?><?cs set:Page.Nav = "card" ?><?cs set:Page.Scripts.0 = "/static/card.js" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?>
<div class="page-head"><h1><?cs var:Lang.Card.Images.Title ?></h1></div>
<?cs call:card_nav("images") ?>
<?cs if:Query.saved ?><p class="notice" role="status"><?cs var:Lang.Card.Images.Saved ?></p><?cs /if ?>
<?cs if:Query.deleted ?><p class="notice" role="status"><?cs var:Lang.Card.Images.Deleted ?></p><?cs /if ?>
<?cs call:card_error() ?>
<p class="hint"><?cs var:Lang.Card.Images.Intro ?> <?cs var:Images.MaxMiB ?> <?cs var:Lang.Card.Images.MiB ?></p>
<div class="grid-2">
<?cs loop:i = 0, 1, 1 ?><?cs if:i == 0 ?><?cs set:Tmp.Side = "front" ?><?cs set:Tmp.Hash = Card.Front ?><?cs else ?><?cs set:Tmp.Side = "back" ?><?cs set:Tmp.Hash = Card.Back ?><?cs /if ?>
<section class="panel" id="<?cs var:Tmp.Side ?>">
<h2><?cs if:i == 0 ?><?cs var:Lang.Card.Images.Front ?><?cs else ?><?cs var:Lang.Card.Images.Back ?><?cs /if ?></h2>
<?cs if:Tmp.Hash ?>
<p class="card-image"><a href="/api/v1/card/images/<?cs var:Tmp.Side ?>?v=<?cs var:Tmp.Hash ?>"><img src="/api/v1/card/images/<?cs var:Tmp.Side ?>?thumb=1&amp;v=<?cs var:Tmp.Hash ?>" alt="<?cs if:i == 0 ?><?cs var:Lang.Card.Public.FrontAlt ?><?cs else ?><?cs var:Lang.Card.Public.BackAlt ?><?cs /if ?>"></a></p>
<div class="actions"><a href="/api/v1/card/images/<?cs var:Tmp.Side ?>?v=<?cs var:Tmp.Hash ?>"><?cs var:Lang.Card.Images.Full ?></a>
<form method="post" action="/card/images/<?cs var:Tmp.Side ?>/delete"><?cs call:csrf_field() ?><button type="submit" class="danger"><?cs var:Lang.Card.Images.Delete ?></button></form></div>
<?cs else ?><p class="hint"><?cs var:Lang.Card.Images.None ?></p><?cs /if ?>
<form method="post" action="/card/images/<?cs var:Tmp.Side ?>" enctype="multipart/form-data" data-upload="<?cs var:Tmp.Side ?>">
<?cs call:csrf_field() ?>
<label for="image-<?cs var:Tmp.Side ?>"><?cs if:i == 0 ?><?cs var:Lang.Card.Images.ChooseFront ?><?cs else ?><?cs var:Lang.Card.Images.ChooseBack ?><?cs /if ?></label>
<input id="image-<?cs var:Tmp.Side ?>" name="image" type="file" required accept="image/jpeg,image/png,image/webp" aria-describedby="image-<?cs var:Tmp.Side ?>-status">
<img class="image-preview" src="data:," alt="<?cs var:Lang.Card.Images.PreviewAlt ?>" hidden>
<progress max="100" value="0" hidden aria-label="<?cs var:Lang.Card.Images.Progress ?>"></progress>
<p class="upload-status" id="image-<?cs var:Tmp.Side ?>-status" role="status" data-progress="<?cs var:Lang.Card.Images.Uploading ?>" data-failed="<?cs var:Lang.Card.Images.Failed ?>"></p>
<button type="submit"><?cs if:Tmp.Hash ?><?cs var:Lang.Card.Images.Replace ?><?cs else ?><?cs var:Lang.Card.Images.Upload ?><?cs /if ?></button>
</form>
</section>
<?cs /loop ?>
</div>
<?cs include:"footer.cs" ?>
