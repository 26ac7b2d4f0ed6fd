<?cs # message.cs: a short notice after an action (Message.Key names it); Message.Next: where to go on (through sign-in with Message.SignInEmail filled in) ?>
<?cs set:Page.Title = Lang.Messages[Message.Key].Title ?><?cs include:"header.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.Messages[Message.Key].Title ?></h1>
<p><?cs var:Lang.Messages[Message.Key].Text ?><?cs if:Message.Email ?> <strong><?cs var:Message.Email ?></strong><?cs /if ?></p>
<?cs if:Message.SignInEmail ?><p><?cs var:Lang.Messages.Onward.SignInText ?></p>
<p><a class="button" href="/signin?next=<?cs var:url_escape(Message.Next) ?>&amp;email=<?cs var:url_escape(Message.SignInEmail) ?>"><?cs var:Lang.Messages.Onward.SignIn ?></a></p>
<?cs elif:Message.Next ?><p><a class="button" href="<?cs var:Message.Next ?>"><?cs var:Lang.Messages.Onward.MakeCard ?></a></p>
<?cs else ?><p><a class="button" href="<?cs alt:Lang.Messages[Message.Key].Href ?>/<?cs /alt ?>"><?cs alt:Lang.Messages[Message.Key].Next ?><?cs var:Lang.ErrorPage.Home ?><?cs /alt ?></a></p><?cs /if ?>
</section>
<?cs include:"footer.cs" ?>
