<?cs # subscribe_result.cs: the outcome of a subscription step (Result.Key names it) ?>
<?cs set:Page.Title = Lang.Savers.Result[Result.Key].Title ?><?cs include:"header.cs" ?>
<section class="panel narrow">
<h1><?cs var:Lang.Savers.Result[Result.Key].Title ?></h1>
<p><?cs var:Lang.Savers.Result[Result.Key].Text ?><?cs if:Result.Email ?> <strong><?cs var:Result.Email ?></strong><?cs /if ?></p>
<?cs if:Sub.Token ?><p><a href="/c/<?cs var:Sub.Token ?>"><?cs var:Lang.Savers.Subscribe.BackToCard ?></a></p><?cs /if ?>
</section>
<?cs include:"footer.cs" ?>
