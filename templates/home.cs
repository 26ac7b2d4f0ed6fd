<?cs # home.cs: a signed-in member's overview ?>
<?cs set:Page.Title = Lang.Home.Title ?><?cs include:"header.cs" ?>
<section class="panel">
<h1><?cs var:Lang.Home.Hello ?> <?cs var:User.Name ?></h1>
<?cs if:!User.Verified ?><p class="notice"><?cs var:Lang.Home.Unverified ?></p><?cs /if ?>
<ul class="counts">
<li><a href="/folder"><span class="count"><?cs alt:Home.SavedCards ?>0<?cs /alt ?></span> <?cs var:Lang.Home.SavedCards ?></a></li>
<li><a href="/savers"><span class="count"><?cs alt:Home.Savers ?>0<?cs /alt ?></span> <?cs var:Lang.Home.Savers ?></a></li>
<li><a href="/updates"><span class="count"><?cs alt:Home.PendingUpdates ?>0<?cs /alt ?></span> <?cs var:Lang.Home.PendingUpdates ?></a></li>
<li><a href="/inbox"><span class="count" id="letter-count"><?cs alt:Home.UnreadLetters ?>0<?cs /alt ?></span> <?cs var:Lang.Home.UnreadLetters ?></a></li>
</ul>
</section>
<?cs include:"footer.cs" ?>
