<?cs # public_card.cs: a member's card as anyone with its link sees it (only the shared fields) ?>
<?cs set:Page.Title = Card.FullName ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?>
<link rel="stylesheet" href="/static/card.css">
<article class="panel public-card">
<h1 class="visually-hidden"><?cs var:Lang.Card.Public.Title ?>: <?cs var:Card.FullName ?></h1>
<?cs if:Public.IsOwner ?><p class="notice"><?cs var:Lang.Card.Public.Own ?> <a href="/card"><?cs var:Lang.Card.Public.EditOwn ?></a></p><?cs /if ?>
<?cs if:Public.Front ?><p class="card-image"><a href="<?cs var:Public.Path ?>/images/front?v=<?cs var:Public.Front ?>"><img src="<?cs var:Public.Path ?>/images/front?thumb=1&amp;v=<?cs var:Public.Front ?>" alt="<?cs var:Lang.Card.Public.FrontAlt ?>"></a></p><?cs /if ?>
<?cs call:card_show(Card) ?>
<?cs if:Public.Back ?><p class="card-image"><a href="<?cs var:Public.Path ?>/images/back?v=<?cs var:Public.Back ?>"><img src="<?cs var:Public.Path ?>/images/back?thumb=1&amp;v=<?cs var:Public.Back ?>" alt="<?cs var:Lang.Card.Public.BackAlt ?>"></a></p><?cs /if ?>
<p class="hint"><?cs var:Lang.Card.UpdatedAt ?> <time><?cs var:Card.UpdatedAt ?></time> UTC</p>
</article>
<section class="panel public-actions">
<p><a class="button" href="<?cs var:Public.Path ?>.vcf"><?cs var:Lang.Card.Public.Download ?></a></p>
<p><a href="<?cs var:Public.Path ?>.vcf?version=3.0"><?cs var:Lang.Card.Public.Download3 ?></a></p>
<?cs if:!Public.IsOwner ?>
<?cs if:User.Name ?>
<form method="post" action="/folder/save-shared">
<?cs call:csrf_field() ?>
<input type="hidden" name="token" value="<?cs var:Public.Token ?>">
<button type="submit"><?cs var:Lang.Card.Public.SaveCard ?></button>
</form>
<?cs else ?>
<p><a href="/signin?next=<?cs var:Public.Path ?>"><?cs var:Lang.Card.Public.SignInToSave ?></a></p>
<?cs /if ?>
<?cs /if ?>
<?cs if:!Public.IsOwner ?><?cs include:"subscribe_form.cs" ?><?cs /if ?>
<figure class="card-qr">
<img src="<?cs var:Public.Path ?>/qr.svg" alt="<?cs var:Lang.Card.Public.QR ?>" width="200" height="200">
<figcaption><?cs var:Public.Url ?></figcaption>
</figure>
</section>
<?cs include:"footer.cs" ?>
