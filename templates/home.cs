<?cs # home.cs: a signed-in member's overview: their card, the counts, the last letters ?>
<?cs set:Page.Title = Lang.Home.Title ?><?cs set:Page.Nav = "home" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?>
<div class="page-head"><h1><?cs var:Lang.Home.Hello ?><span class="greet-name"><?cs var:User.Name ?></span></h1></div>
<?cs if:!User.Verified ?><p class="notice"><?cs var:Lang.Home.Unverified ?></p><?cs /if ?>
<ul class="counts" aria-label="<?cs var:Lang.Home.CountsLabel ?>">
<li><a href="/folder"><span class="count" id="saved-count"><?cs alt:Home.SavedCards ?>0<?cs /alt ?></span> <span class="count-label"><?cs var:Lang.Home.SavedCards ?></span></a></li>
<li><a href="/savers"><span class="count" id="savers-count"><?cs alt:Home.Savers ?>0<?cs /alt ?></span> <span class="count-label"><?cs var:Lang.Home.Savers ?></span></a></li>
<li><a href="/updates"><span class="count" id="pending-count"><?cs alt:Home.PendingUpdates ?>0<?cs /alt ?></span> <span class="count-label"><?cs var:Lang.Home.PendingUpdates ?></span></a></li>
<li><a href="/inbox"><span class="count" id="letter-count"><?cs alt:Home.UnreadLetters ?>0<?cs /alt ?></span> <span class="count-label"><?cs var:Lang.Home.UnreadLetters ?></span></a></li>
</ul>
<div class="grid-2">
<section class="panel" aria-labelledby="home-card">
<h2 id="home-card"><?cs var:Lang.Home.YourCard ?></h2>
<?cs if:Card.Revision == 0 ?>
<p><?cs var:Lang.Home.NoCard ?></p>
<p><a class="button" href="/card"><?cs var:Lang.Home.MakeCard ?></a></p>
<?cs else ?>
<?cs call:card_show(Card) ?>
<ul class="inline-list card-meta">
<li><a href="/card"><?cs var:Lang.Home.EditCard ?></a></li>
<li><a href="/card/share"><?cs var:Lang.Home.ShareCard ?></a></li>
<li><a href="<?cs var:Share.Path ?>"><?cs var:Lang.Card.PublicPage ?></a></li>
<?cs if:!Card.Front ?><li><a href="/card/images"><?cs var:Lang.Card.Images.AddFront ?></a></li><?cs /if ?>
</ul>
<?cs /if ?>
</section>
<section class="panel" aria-labelledby="home-letters">
<h2 id="home-letters"><?cs var:Lang.Home.RecentLetters ?></h2>
<?cs if:subcount(Home.Letters) ?>
<ul class="plain letters-recent">
<?cs each:l = Home.Letters ?><li<?cs if:l.Read == "0" ?> class="unread"<?cs /if ?>>
<?cs if:l.Read == "0" ?><span class="badge badge-update"><?cs var:Lang.Savers.Inbox.New ?></span><?cs /if ?>
<span><?cs if:l.Url ?><a href="<?cs var:l.Url ?>"><?cs var:l.Text ?></a><?cs else ?><?cs var:l.Text ?><?cs /if ?></span>
<span class="hint"><?cs call:when(l.Created) ?></span>
</li><?cs /each ?>
</ul>
<?cs else ?>
<p class="hint"><?cs var:Lang.Savers.Inbox.Empty ?></p>
<?cs /if ?>
<p><a href="/inbox"><?cs var:Lang.Home.AllLetters ?></a></p>
</section>
</div>
<?cs include:"footer.cs" ?>
