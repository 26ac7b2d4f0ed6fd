<?cs # subscribe_confirm.cs: the mailed link's page; the button (a POST) confirms, so link scanners confirm nothing ?>
<?cs set:Page.Title = Lang.Savers.Subscribe.ConfirmTitle ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.Savers.Subscribe.ConfirmTitle ?></h1>
<p><?cs var:Lang.Savers.Subscribe.ConfirmIntro ?> <strong><?cs var:Sub.Owner ?></strong></p>
<p class="hint"><?cs var:Lang.Savers.Subscribe.ConfirmAs ?> <?cs var:Sub.FullName ?></p>
<form method="post" action="/s/confirm">
<?cs call:csrf_field() ?>
<input type="hidden" name="token" value="<?cs var:Sub.ConfirmToken ?>">
<button type="submit"><?cs var:Lang.Savers.Subscribe.Confirm ?></button>
</form>
</section>
<?cs include:"footer.cs" ?>
