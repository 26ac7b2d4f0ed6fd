<?cs # signup.cs: create an account ?>
<?cs set:Page.Title = Lang.SignUp.Title ?><?cs set:Page.Nav = "signup" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.SignUp.Title ?></h1>
<p class="hint"><?cs var:Lang.SignUp.Intro ?></p>
<?cs call:form_error() ?>
<form method="post" action="/signup">
<?cs call:csrf_field() ?>
<label for="full_name"><?cs var:Lang.Field.FullName ?></label>
<input id="full_name" name="full_name" required maxlength="200" autocomplete="name" value="<?cs var:Query.full_name ?>">
<label for="email"><?cs var:Lang.Field.Email ?></label>
<input id="email" name="email" type="email" required maxlength="254" autocomplete="email" value="<?cs var:Query.email ?>">
<label for="password"><?cs var:Lang.Field.Password ?></label>
<input id="password" name="password" type="password" required maxlength="1024" autocomplete="new-password" aria-describedby="pw-hint">
<p id="pw-hint" class="hint"><?cs var:Lang.SignUp.PasswordHint ?></p>
<label for="locale"><?cs var:Lang.Field.Language ?></label>
<select id="locale" name="locale">
<option value="en" lang="en"<?cs if:Page.Lang == "en" ?> selected<?cs /if ?>>English</option>
<option value="zh-CN" lang="zh-CN"<?cs if:Page.Lang == "zh-CN" ?> selected<?cs /if ?>>简体中文</option>
</select>
<button type="submit"><?cs var:Lang.SignUp.Submit ?></button>
</form>
<p><?cs var:Lang.SignUp.HaveAccount ?> <a href="/signin"><?cs var:Lang.Nav.SignIn ?></a></p>
</section>
<?cs include:"footer.cs" ?>
