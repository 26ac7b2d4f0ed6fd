<?cs # signin.cs: sign in ?>
<?cs set:Page.Title = Lang.SignIn.Title ?><?cs set:Page.Nav = "signin" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.SignIn.Title ?></h1>
<?cs if:Form.Next ?><p class="hint"><?cs var:Lang.SignIn.ToContinue ?></p><?cs /if ?>
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
<ul class="inline-list form-links"><li><a href="/reset"><?cs var:Lang.SignIn.Forgot ?></a></li><li><?cs var:Lang.SignIn.NoAccount ?> <a href="/signup"><?cs var:Lang.Nav.SignUp ?></a></li></ul>
</section>
<?cs include:"footer.cs" ?>
