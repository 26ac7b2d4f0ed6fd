<?cs # folder_import_job.cs: a large import's own page: while the worker saves the cards a wait page (it refreshes itself every 2 s; with JS htdocs/folder.js polls the JSON route), then the result, or why it failed ?>
<?cs if:Job.Status == "done" ?><?cs set:Page.Title = Lang.Folder.ImportPage.Title ?><?cs else ?><?cs set:Page.Title = Lang.Folder.ImportJob.Title ?><?cs /if ?><?cs set:Page.Nav = "folder" ?><?cs set:Page.Scripts.0 = "/static/folder.js" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?>
<p class="back-link"><a href="/folder"><?cs var:Lang.Folder.Entry.ToList ?></a></p>
<?cs if:Job.Status == "done" ?>
<h1 class="visually-hidden"><?cs var:Lang.Folder.ImportPage.Title ?></h1>
<?cs include:"folder_import_result.cs" ?>
<?cs elif:Job.Status == "failed" ?>
<section class="panel" id="import-failed">
<h1><?cs var:Lang.Folder.ImportJob.Title ?></h1>
<p class="error" role="alert"><?cs var:Lang.Folder.ImportPage.Failed ?> <span lang="en"><?cs var:Job.Error ?></span></p>
<p><?cs var:Lang.Folder.ImportJob.FailedDone ?> <?cs var:Job.DoneText ?> / <?cs var:Job.TotalText ?></p>
<p><a class="button" href="/folder/import"><?cs var:Lang.Folder.ImportJob.Again ?></a> <a href="/folder"><?cs var:Lang.Folder.ImportPage.ToFolder ?></a></p>
</section>
<?cs else ?>
<section class="panel" id="import-job" data-api="/api/v1/folder/import/<?cs var:Job.Id ?>"
 data-before="<?cs var:Lang.Folder.ImportJob.Before ?>" data-middle="<?cs var:Lang.Folder.ImportJob.Middle ?>"
 data-after="<?cs var:Lang.Folder.ImportJob.After ?>" data-queued="<?cs var:Lang.Folder.ImportJob.Queued ?>">
<h1><?cs var:Lang.Folder.ImportJob.Title ?></h1>
<p id="job-status" role="status" aria-live="polite"><?cs if:Job.Status == "queued" && Job.Done == 0 ?><?cs var:Lang.Folder.ImportJob.Queued ?><?cs else ?><?cs var:Lang.Folder.ImportJob.Before ?> <?cs var:Job.DoneText ?> <?cs var:Lang.Folder.ImportJob.Middle ?> <?cs var:Job.TotalText ?> <?cs var:Lang.Folder.ImportJob.After ?><?cs /if ?></p>
<progress id="job-bar" max="<?cs var:Job.Total ?>" value="<?cs var:Job.Done ?>" aria-labelledby="job-status"><?cs var:Job.DoneText ?> / <?cs var:Job.TotalText ?></progress>
<p class="hint"><?cs var:Lang.Folder.ImportJob.Hint ?></p>
<p><a href="/folder"><?cs var:Lang.Folder.ImportPage.ToFolder ?></a></p>
</section>
<?cs /if ?>
<?cs include:"footer.cs" ?>
