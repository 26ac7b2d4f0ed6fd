<?cs # header.cs: page head and navigation shared by every page ?><!DOCTYPE html>
<html lang="<?cs var:Page.Lang ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?cs var:Page.Title ?> · <?cs var:Site.Name ?></title>
<link rel="stylesheet" href="/static/livecard.css">
<?cs if:CSRF ?><meta name="csrf-token" content="<?cs var:CSRF ?>"><?cs /if ?>
<?cs each:style = Page.Styles ?><link rel="stylesheet" href="<?cs var:style ?>">
<?cs /each ?><?cs if:User.Name ?><script src="/static/letters.js" defer></script><?cs /if ?>
</head>
<body>
<a class="skip" href="#main"><?cs var:Lang.Nav.Skip ?></a>
<header class="top">
<nav aria-label="<?cs var:Lang.Nav.Label ?>">
<a class="brand" href="/"><?cs var:Site.Name ?></a>
<?cs if:User.Name ?>
<a href="/card"><?cs var:Lang.Nav.MyCard ?></a>
<a href="/folder"><?cs var:Lang.Nav.Folder ?></a>
<a href="/savers"><?cs var:Lang.Nav.Savers ?></a>
<a href="/updates"><?cs var:Lang.Nav.Updates ?></a>
<a href="/inbox"><?cs var:Lang.Savers.Inbox.Title ?> <span id="letter-badge" class="count" hidden></span></a>
<a href="/settings"><?cs var:Lang.Nav.Settings ?></a>
<form class="inline" method="post" action="/signout"><input type="hidden" name="csrf" value="<?cs var:CSRF ?>"><button type="submit" class="link"><?cs var:Lang.Nav.SignOut ?></button></form>
<?cs else ?>
<a href="/signin"><?cs var:Lang.Nav.SignIn ?></a>
<a href="/signup"><?cs var:Lang.Nav.SignUp ?></a>
<?cs /if ?>
</nav>
</header>
<main id="main">
