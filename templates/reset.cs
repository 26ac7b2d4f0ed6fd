<?cs # reset.cs: ask for a password reset link ?>
<?cs set:Page.Title = Lang.Reset.Title ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.Reset.Title ?></h1>
<?cs call:form_error() ?>
<p><?cs var:Lang.Reset.Intro ?></p>
<form method="post" action="/reset">
<?cs call:csrf_field() ?>
<label for="email"><?cs var:Lang.Field.Email ?></label>
<input id="email" name="email" type="email" required maxlength="254" autocomplete="email">
<button type="submit"><?cs var:Lang.Reset.Submit ?></button>
</form>
</section>
<?cs include:"footer.cs" ?>
