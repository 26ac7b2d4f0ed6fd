<?cs # subscribe.cs: a non-member asks to be told of a card's updates (GET/POST /c/{token}/subscribe) ?>
<?cs set:Page.Title = Lang.Savers.Subscribe.Title ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.Savers.Subscribe.Title ?></h1>
<p><?cs var:Lang.Savers.Subscribe.IntroFor ?> <strong><?cs var:Sub.Owner ?></strong></p>
<?cs call:form_error() ?>
<p class="hint"><?cs var:Lang.Savers.Subscribe.Intro ?></p>
<form method="post" action="/c/<?cs var:Sub.Token ?>/subscribe">
<?cs call:csrf_field() ?>
<label for="full_name"><?cs var:Lang.Savers.Subscribe.Name ?></label>
<input id="full_name" name="full_name" required maxlength="200" autocomplete="name" value="<?cs var:Query.full_name ?>">
<label for="email"><?cs var:Lang.Savers.Subscribe.Email ?></label>
<input id="email" name="email" type="email" maxlength="254" autocomplete="email" aria-describedby="contact-hint" value="<?cs var:Query.email ?>">
<label for="phone"><?cs var:Lang.Savers.Subscribe.Phone ?></label>
<input id="phone" name="phone" type="tel" maxlength="40" autocomplete="tel" aria-describedby="contact-hint" value="<?cs var:Query.phone ?>">
<p class="hint" id="contact-hint"><?cs var:Lang.Savers.Subscribe.Either ?> <?cs var:Lang.Savers.Subscribe.Privacy ?></p>
<button type="submit"><?cs var:Lang.Savers.Subscribe.Submit ?></button>
</form>
<p><a href="/c/<?cs var:Sub.Token ?>"><?cs var:Lang.Savers.Subscribe.BackToCard ?></a></p>
</section>
<?cs include:"footer.cs" ?>
