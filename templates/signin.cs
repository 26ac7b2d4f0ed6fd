<?cs # signin.cs: sign in ?>
<?cs set:Page.Title = Lang.SignIn.Title ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.SignIn.Title ?></h1>
<?cs call:form_error() ?>
<form method="post" action="/signin">
<?cs call:csrf_field() ?>
<?cs if:Form.Next ?><input type="hidden" name="next" value="<?cs var:Form.Next ?>"><?cs /if ?>
<label for="email"><?cs var:Lang.Field.Email ?></label>
<input id="email" name="email" type="email" required maxlength="254" autocomplete="username" value="<?cs var:Query.email ?>">
<label for="password"><?cs var:Lang.Field.Password ?></label>
<input id="password" name="password" type="password" required maxlength="1024" autocomplete="current-password">
<button type="submit"><?cs var:Lang.SignIn.Submit ?></button>
</form>
<p><a href="/reset"><?cs var:Lang.SignIn.Forgot ?></a> · <a href="/signup"><?cs var:Lang.Nav.SignUp ?></a></p>
</section>
<?cs include:"footer.cs" ?>
