<?cs # subscribe_unsubscribe.cs: the one-click unsubscribe page of every message to a non-member (GET shows, POST ends) ?>
<?cs set:Page.Title = Lang.Savers.Subscribe.UnsubTitle ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.Savers.Subscribe.UnsubTitle ?></h1>
<?cs if:Sub.Status == "unsubscribed" ?><p class="notice"><?cs var:Lang.Savers.Subscribe.AlreadyOff ?></p>
<?cs else ?><p><?cs var:Lang.Savers.Subscribe.UnsubIntro ?> <strong><?cs var:Sub.Owner ?></strong></p><?cs /if ?>
<p class="hint"><?cs var:Lang.Savers.Subscribe.UnsubAddress ?> <?cs var:Sub.Address ?></p>
<?cs if:Sub.CardPath && Sub.Status != "unsubscribed" ?><p><a class="button secondary" href="<?cs var:Sub.CardPath ?>"><?cs var:Lang.Savers.Subscribe.SeeCard ?></a></p><?cs /if ?>
<form method="post" action="/s/unsubscribe/<?cs var:Sub.Token ?>">
<?cs call:csrf_field() ?>
<label class="check"><input type="checkbox" name="never" value="1"> <?cs var:Lang.Savers.Subscribe.Never ?></label>
<button type="submit" class="danger"><?cs var:Lang.Savers.Subscribe.Unsubscribe ?></button>
</form>
</section>
<?cs include:"footer.cs" ?>
