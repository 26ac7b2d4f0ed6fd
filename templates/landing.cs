<?cs # landing.cs: the home page for visitors who are not signed in ?>
<?cs set:Page.Title = Lang.Landing.Title ?><?cs include:"header.cs" ?>
<section class="hero">
<h1><?cs var:Lang.Landing.Headline ?></h1>
<p><?cs var:Lang.Landing.Pitch ?></p>
<p><a class="button" href="/signup"><?cs var:Lang.Nav.SignUp ?></a> <a href="/signin"><?cs var:Lang.Nav.SignIn ?></a></p>
</section>
<?cs include:"footer.cs" ?>
