<?cs # subscribe_form.cs: the subscribe form for the public card page (include it in public_card.cs; needs Public.Token and CSRF) ?>
<section class="subscribe">
<h2><?cs var:Lang.Savers.Subscribe.Title ?></h2>
<p class="hint"><?cs var:Lang.Savers.Subscribe.Intro ?></p>
<form method="post" action="/c/<?cs var:Public.Token ?>/subscribe">
<input type="hidden" name="csrf" value="<?cs var:CSRF ?>">
<label for="sub-name"><?cs var:Lang.Savers.Subscribe.Name ?></label>
<input id="sub-name" name="full_name" required maxlength="200" autocomplete="name">
<label for="sub-email"><?cs var:Lang.Savers.Subscribe.Email ?></label>
<input id="sub-email" name="email" type="email" maxlength="254" autocomplete="email" aria-describedby="sub-contact-hint">
<label for="sub-phone"><?cs var:Lang.Savers.Subscribe.Phone ?></label>
<input id="sub-phone" name="phone" type="tel" maxlength="40" autocomplete="tel" aria-describedby="sub-contact-hint">
<p class="hint" id="sub-contact-hint"><?cs var:Lang.Savers.Subscribe.Either ?> <?cs var:Lang.Savers.Subscribe.Privacy ?></p>
<button type="submit"><?cs var:Lang.Savers.Subscribe.Submit ?></button>
</form>
</section>
