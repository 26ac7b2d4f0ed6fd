<?cs # subscribe_code.cs: enter the SMS code that confirms a subscription by phone ?>
<?cs set:Page.Title = Lang.Savers.Subscribe.CodeTitle ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.Savers.Subscribe.CodeTitle ?></h1>
<?cs call:form_error() ?>
<p><?cs var:Lang.Savers.Subscribe.CodeIntro ?> <strong><?cs if:Sub.PhoneDisplay ?><?cs var:Sub.PhoneDisplay ?><?cs else ?><?cs var:Sub.Phone ?><?cs /if ?></strong></p>
<p class="hint" id="code-hint"><?cs var:Lang.Savers.Subscribe.CodeHint ?></p>
<?cs if:Sub.AlsoEmail ?><p class="notice"><?cs var:Lang.Savers.Subscribe.AlsoEmail ?> <strong><?cs var:Sub.AlsoEmail ?></strong></p><?cs /if ?>
<form method="post" action="/c/<?cs var:Sub.Token ?>/subscribe/verify">
<?cs call:csrf_field() ?>
<input type="hidden" name="phone" value="<?cs var:Sub.Phone ?>">
<label for="code"><?cs var:Lang.Savers.Subscribe.Code ?></label>
<input id="code" name="code" required inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="12" aria-describedby="code-hint">
<button type="submit"><?cs var:Lang.Savers.Subscribe.Verify ?></button>
</form>
</section>
<?cs include:"footer.cs" ?>
