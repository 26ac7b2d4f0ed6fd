<?cs # public_card.cs: a member's card as anyone with its link sees it (only the shared fields), with save, subscribe, vCard and QR ?>
<?cs set:Page.Title = Card.FullName ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?>
<h1 class="visually-hidden"><?cs var:Lang.Card.Public.Title ?>: <?cs var:Card.FullName ?></h1>
<?cs if:Public.IsOwner ?><p class="notice"><?cs var:Lang.Card.Public.Own ?> <a href="/card"><?cs var:Lang.Card.Public.EditOwn ?></a></p><?cs /if ?>
<div class="public-layout">
<article class="public-card" aria-label="<?cs var:Lang.Card.Public.Title ?>">
<?cs escape:"none" ?><?cs var:Card.Face ?><?cs /escape ?>
<?cs if:Public.Front || Public.Back ?><div class="card-images">
<?cs if:Public.Front ?><p class="card-image"><a href="<?cs var:Public.Path ?>/images/front?v=<?cs var:Public.Front ?>"><img src="<?cs var:Public.Path ?>/images/front?thumb=1&amp;v=<?cs var:Public.Front ?>" alt="<?cs var:Lang.Card.Public.FrontAlt ?>"></a></p><?cs /if ?>
<?cs if:Public.Back ?><p class="card-image"><a href="<?cs var:Public.Path ?>/images/back?v=<?cs var:Public.Back ?>"><img src="<?cs var:Public.Path ?>/images/back?thumb=1&amp;v=<?cs var:Public.Back ?>" alt="<?cs var:Lang.Card.Public.BackAlt ?>"></a></p><?cs /if ?>
</div><?cs /if ?>
<p class="card-meta"><?cs var:Lang.Card.UpdatedAt ?> <?cs call:when(Card.UpdatedAt) ?></p>
</article>
<aside class="public-actions" aria-label="<?cs var:Lang.Card.Public.Actions ?>">
<section class="panel">
<h2><?cs var:Lang.Card.Public.KeepTitle ?></h2>
<?cs if:!Public.IsOwner ?>
<?cs if:Public.SavedEntry ?>
<p class="notice" role="status"><?cs var:Lang.Card.Public.InFolder ?></p>
<p><a class="button" href="/folder/<?cs var:Public.SavedEntry ?>"><?cs var:Lang.Card.Public.OpenCopy ?></a></p>
<?cs elif:User.Name ?>
<form method="post" action="/folder/save-shared">
<?cs call:csrf_field() ?>
<input type="hidden" name="token" value="<?cs var:Public.Token ?>">
<button type="submit"><?cs var:Lang.Card.Public.SaveCard ?></button>
</form>
<p class="hint"><?cs var:Lang.Card.Public.SaveHint ?></p>
<?cs else ?>
<p><a class="button" href="/signin?next=<?cs var:Public.Path ?>"><?cs var:Lang.Card.Public.SignInToSave ?></a></p>
<p class="hint"><?cs var:Lang.Card.Public.NoAccount ?> <a href="/signup"><?cs var:Lang.Nav.SignUp ?></a></p>
<?cs /if ?>
<?cs /if ?>
<p><a class="button secondary" href="<?cs var:Public.Path ?>.vcf"><?cs var:Lang.Card.Public.Download ?></a></p>
<p class="hint"><a href="<?cs var:Public.Path ?>.vcf?version=3.0"><?cs var:Lang.Card.Public.Download3 ?></a></p>
</section>
<?cs if:!Public.IsOwner && !User.Name ?><div class="panel"><?cs include:"subscribe_form.cs" ?></div><?cs /if ?>
<section class="panel">
<h2><?cs var:Lang.Card.Public.QRTitle ?></h2>
<figure class="card-qr">
<img src="<?cs var:Public.Path ?>/qr.svg" alt="<?cs var:Lang.Card.Public.QR ?>" width="200" height="200">
<figcaption><?cs var:Public.Url ?></figcaption>
</figure>
</section>
</aside>
</div>
<?cs include:"footer.cs" ?>
