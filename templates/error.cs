<?cs # error.cs: every error page (status in Error.Status, code in Error.Code) ?>
<?cs set:Page.Title = Lang.ErrorPage.Title ?><?cs include:"header.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.ErrorPage.Title ?> <?cs var:Error.Status ?></h1>
<p><?cs alt:Lang.Errors[Error.Code] ?><?cs var:Lang.Errors.generic ?><?cs /alt ?></p>
<p><a href="/"><?cs var:Lang.ErrorPage.Home ?></a></p>
</section>
<?cs include:"footer.cs" ?>
