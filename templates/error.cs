<?cs # error.cs: every error page (status in Error.Status, code in Error.Code); a public card link (/c/...) that leads nowhere says what happened and what to do ?><?cs set:gone = Error.Status == "404" && string.slice(Page.Path, 0, 3) == "/c/" ?>
<?cs if:gone ?><?cs set:Page.Title = Lang.LinkGone.Title ?><?cs else ?><?cs set:Page.Title = Lang.ErrorPage.Title ?><?cs /if ?><?cs include:"header.cs" ?>
<section class="panel narrow"><?cs if:gone ?>
<h1><?cs var:Lang.LinkGone.Title ?></h1>
<p><?cs var:Lang.LinkGone.Text ?></p>
<p class="hint"><?cs var:Lang.LinkGone.Why ?></p>
<?cs if:User.Name ?><p><a class="button" href="/folder"><?cs var:Lang.LinkGone.Folder ?></a></p>
<?cs else ?><p><a class="button" href="/"><?cs var:Lang.LinkGone.Home ?></a></p><?cs /if ?>
<?cs else ?>
<h1><?cs var:Lang.ErrorPage.Title ?> <?cs var:Error.Status ?></h1>
<p><?cs alt:Lang.Errors[Error.Code] ?><?cs var:Lang.Errors.generic ?><?cs /alt ?></p>
<p><a href="/"><?cs var:Lang.ErrorPage.Home ?></a></p><?cs /if ?>
</section>
<?cs include:"footer.cs" ?>
