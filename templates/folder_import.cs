<?cs # folder_import.cs: import a vCard file; with JS the upload shows its progress (htdocs/folder.js) ?>
<?cs set:Page.Title = Lang.Folder.ImportPage.Title ?><?cs set:Page.Nav = "folder" ?><?cs set:Page.Scripts.0 = "/static/folder.js" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?><?cs include:"folder_macros.cs" ?>
<p class="back-link"><a href="/folder"><?cs var:Lang.Folder.Entry.ToList ?></a></p>
<section class="panel">
<h1><?cs var:Lang.Folder.ImportPage.Title ?></h1>
<p class="hint"><?cs var:Lang.Folder.ImportPage.Intro ?></p>
<?cs call:form_error() ?>
<form id="import-form" method="post" action="/folder/import" enctype="multipart/form-data"
 data-api="/api/v1/folder/import" data-uploading="<?cs var:Lang.Folder.ImportPage.Uploading ?>"
 data-processing="<?cs var:Lang.Folder.ImportPage.Processing ?>" data-failed="<?cs var:Lang.Folder.ImportPage.Failed ?>"
 data-done="<?cs var:Lang.Folder.ImportPage.Done ?>" data-imported="<?cs var:Lang.Folder.ImportPage.Imported ?>"
 data-merged="<?cs var:Lang.Folder.ImportPage.Merged ?>" data-skipped="<?cs var:Lang.Folder.ImportPage.Skipped ?>"
 data-linked="<?cs var:Lang.Folder.ImportPage.Linked ?>" data-offered="<?cs var:Lang.Folder.ImportPage.Offered ?>" data-updates="<?cs var:Lang.Updates.Title ?>"
 data-errors="<?cs var:Lang.Folder.ImportPage.Errors ?>" data-warnings="<?cs var:Lang.Folder.ImportPage.Warnings ?>"
 data-cardno="<?cs var:Lang.Folder.ImportPage.CardNo ?>" data-issue-no-identity="<?cs var:Lang.Folder.ImportPage.Issue.no_identity ?>"
 data-issue-unreadable="<?cs var:Lang.Folder.ImportPage.Issue.unreadable ?>" data-issue-invalid-field="<?cs var:Lang.Folder.ImportPage.Issue.invalid_field ?>"
 data-issue-photo-dropped="<?cs var:Lang.Folder.ImportPage.Issue.photo_dropped ?>">
<?cs call:csrf_field() ?>
<label for="file"><?cs var:Lang.Folder.ImportPage.File ?></label>
<input id="file" name="file" type="file" required accept=".vcf,.vcard,text/vcard,text/x-vcard">
<p class="hint"><?cs var:Lang.Folder.ImportPage.MaxSize ?> <?cs var:Import.MaxMiB ?> <?cs var:Lang.Folder.ImportPage.MiB ?></p>
<?cs call:dup_choice() ?>
<button type="submit"><?cs var:Lang.Folder.ImportPage.Submit ?></button>
</form>
<div id="import-progress" hidden>
<p id="import-status" role="status" aria-live="polite"></p>
<progress id="import-bar" max="100" value="0"></progress>
</div>
<div id="import-result" aria-live="polite"></div>
</section>
<?cs include:"folder_import_result.cs" ?>
<?cs include:"footer.cs" ?>
