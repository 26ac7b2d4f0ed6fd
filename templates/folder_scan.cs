<?cs # folder_scan.cs: add a card from a photo: the upload form (front, and optionally back) ?>
<?cs set:Page.Title = Lang.Scan.Title ?><?cs set:Page.Nav = "folder" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?>
<p class="back-link"><a href="/folder"><?cs var:Lang.Folder.Entry.ToList ?></a></p>
<section class="panel">
<h1><?cs var:Lang.Scan.Title ?></h1>
<p class="hint"><?cs var:Lang.Scan.Intro ?></p>
<?cs call:card_error() ?>
<form method="post" action="/folder/scan" enctype="multipart/form-data">
<?cs call:csrf_field() ?>
<label for="front"><?cs var:Lang.Folder.Entry.Front ?></label>
<input id="front" name="front" type="file" accept="image/jpeg,image/png,image/webp" required>
<label for="back"><?cs var:Lang.Folder.Entry.Back ?> <span class="hint"><?cs var:Lang.Scan.Optional ?></span></label>
<input id="back" name="back" type="file" accept="image/jpeg,image/png,image/webp">
<p class="hint"><?cs var:Lang.Scan.PhotoHint ?> <?cs var:Lang.Folder.Entry.ImageHint ?> <?cs var:Images.MaxMiB ?> <?cs var:Lang.Folder.Entry.MiB ?></p>
<button type="submit"><?cs var:Lang.Scan.Read ?></button>
</form>
<p class="hint"><a href="/folder/new"><?cs var:Lang.Scan.TypeInstead ?></a></p>
</section>
<?cs include:"footer.cs" ?>
