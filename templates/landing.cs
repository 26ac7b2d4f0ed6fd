<?cs # landing.cs: the home page for visitors: what livecard is, in two lines, and how to start ?>
<?cs set:Page.Title = Lang.Landing.Title ?><?cs include:"header.cs" ?>
<section class="hero">
<h1><?cs var:Lang.Landing.Headline ?></h1>
<p class="lead"><?cs var:Lang.Landing.Pitch ?></p>
<div class="actions"><a class="button" href="/signup"><?cs var:Lang.Landing.Start ?></a> <a class="button secondary" href="/signin"><?cs var:Lang.Nav.SignIn ?></a></div>
</section>
<h2 class="visually-hidden"><?cs var:Lang.Landing.HowTitle ?></h2>
<ol class="steps">
<li><strong><?cs var:Lang.Landing.Step1 ?></strong><br><span class="hint"><?cs var:Lang.Landing.Step1Hint ?></span></li>
<li><strong><?cs var:Lang.Landing.Step2 ?></strong><br><span class="hint"><?cs var:Lang.Landing.Step2Hint ?></span></li>
<li><strong><?cs var:Lang.Landing.Step3 ?></strong><br><span class="hint"><?cs var:Lang.Landing.Step3Hint ?></span></li>
</ol>
<?cs include:"footer.cs" ?>
