<?cs # message.cs: a short notice after an action (Message.Key names it) ?>
<?cs set:Page.Title = Lang.Messages[Message.Key].Title ?><?cs include:"header.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.Messages[Message.Key].Title ?></h1>
<p><?cs var:Lang.Messages[Message.Key].Text ?><?cs if:Message.Email ?> <strong><?cs var:Message.Email ?></strong><?cs /if ?></p>
<p><a class="button" href="<?cs alt:Lang.Messages[Message.Key].Href ?>/<?cs /alt ?>"><?cs alt:Lang.Messages[Message.Key].Next ?><?cs var:Lang.ErrorPage.Home ?><?cs /alt ?></a></p>
</section>
<?cs include:"footer.cs" ?>
