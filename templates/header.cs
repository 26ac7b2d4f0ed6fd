<?cs # header.cs: the page head, skip link, brand and main navigation of every page (docs/ui.md) ?><!DOCTYPE html>
<html lang="<?cs var:Page.Lang ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?cs var:Page.Title ?> · <?cs var:Site.Name ?></title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/livecard.css"><?cs if:Page.Refresh ?>
<noscript><meta http-equiv="refresh" content="<?cs var:Page.Refresh ?>"></noscript><?cs /if ?>
<?cs if:CSRF ?><meta name="csrf-token" content="<?cs var:CSRF ?>"><?cs /if ?>
<?cs if:User.Name ?><script src="/static/letters.js" defer></script><?cs /if ?>
<?cs each:script = Page.Scripts ?><script src="<?cs var:script ?>" defer></script>
<?cs /each ?></head>
<body>
<a class="skip" href="#main"><?cs var:Lang.Nav.Skip ?></a>
<header class="site-header top">
<div class="wrap">
<a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span><?cs var:Site.Name ?></a>
<?cs if:User.Name ?>
<nav class="account-nav" aria-label="<?cs var:Lang.Nav.AccountLabel ?>">
<ul>
<li><a href="/settings"<?cs if:Page.Nav == "settings" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Nav.Settings ?></a></li>
<li><form class="inline" method="post" action="/signout"><input type="hidden" name="csrf" value="<?cs var:CSRF ?>"><button type="submit" class="link"><?cs var:Lang.Nav.SignOut ?></button></form></li>
</ul>
</nav>
<nav class="site-nav" aria-label="<?cs var:Lang.Nav.Label ?>">
<ul>
<li><a href="/"<?cs if:Page.Nav == "home" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Nav.Home ?></a></li>
<li><a href="/card"<?cs if:Page.Nav == "card" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Nav.MyCard ?></a></li>
<li><a href="/folder"<?cs if:Page.Nav == "folder" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Nav.Folder ?></a></li>
<li><a href="/savers"<?cs if:Page.Nav == "savers" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Nav.Savers ?></a></li>
<li><a href="/updates"<?cs if:Page.Nav == "updates" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Nav.Updates ?></a></li>
<li><a href="/inbox"<?cs if:Page.Nav == "inbox" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Nav.Inbox ?> <span id="letter-badge" class="nav-badge" hidden></span></a></li>
</ul>
</nav>
<?cs else ?>
<nav class="account-nav" aria-label="<?cs var:Lang.Nav.AccountLabel ?>">
<ul>
<li><a href="/signin"<?cs if:Page.Nav == "signin" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Nav.SignIn ?></a></li>
<li><a class="nav-cta" href="/signup"<?cs if:Page.Nav == "signup" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.Nav.SignUp ?></a></li>
</ul>
</nav>
<?cs /if ?>
</div>
</header>
<main id="main">
