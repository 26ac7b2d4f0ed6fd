<?cs # reset_confirm.cs: choose a new password from the mailed link ?>
<?cs set:Page.Title = Lang.Reset.NewTitle ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.Reset.NewTitle ?></h1>
<?cs call:form_error() ?>
<form method="post" action="/reset/confirm">
<?cs call:csrf_field() ?>
<input type="hidden" name="token" value="<?cs var:Form.Token ?>">
<label for="password"><?cs var:Lang.Field.NewPassword ?></label>
<input id="password" name="password" type="password" required maxlength="1024" autocomplete="new-password" aria-describedby="pw-hint">
<p id="pw-hint" class="hint"><?cs var:Lang.SignUp.PasswordHint ?></p>
<button type="submit"><?cs var:Lang.Reset.Save ?></button>
</form>
</section>
<?cs include:"footer.cs" ?>
