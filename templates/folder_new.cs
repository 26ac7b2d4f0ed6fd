<?cs # folder_new.cs: type in a collected card, with pictures of its front and back ?>
<?cs set:Page.Title = Lang.Folder.NewCard.Title ?><?cs set:Page.Nav = "folder" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?><?cs include:"folder_macros.cs" ?>
<p class="back-link"><a href="/folder"><?cs var:Lang.Folder.Entry.ToList ?></a></p>
<section class="panel">
<h1><?cs var:Lang.Folder.NewCard.Title ?></h1>
<p class="hint"><?cs var:Lang.Folder.NewCard.Intro ?></p>
<?cs call:card_error() ?>
<form method="post" action="/folder/new" enctype="multipart/form-data" class="card-editor">
<?cs call:csrf_field() ?>
<?cs call:card_editor() ?>
<fieldset><legend><?cs var:Lang.Folder.Entry.Images ?></legend>
<label for="front"><?cs var:Lang.Folder.Entry.Front ?></label>
<input id="front" name="front" type="file" accept="image/jpeg,image/png,image/webp">
<label for="back"><?cs var:Lang.Folder.Entry.Back ?></label>
<input id="back" name="back" type="file" accept="image/jpeg,image/png,image/webp">
<p class="hint"><?cs var:Lang.Folder.Entry.ImageHint ?> <?cs var:Images.MaxMiB ?> <?cs var:Lang.Folder.Entry.MiB ?></p>
</fieldset>
<?cs call:dup_choice() ?>
<button type="submit"><?cs var:Lang.Folder.NewCard.Save ?></button>
</form>
</section>
<?cs include:"footer.cs" ?>
