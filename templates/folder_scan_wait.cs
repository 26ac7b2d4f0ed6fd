<?cs # folder_scan_wait.cs: a photographed card being read; the page reloads itself (Refresh header) until the OCR worker is done ?>
<?cs set:Page.Title = Lang.Scan.Reading ?><?cs set:Page.Nav = "folder" ?><?cs set:Page.Scripts.0 = "/static/scan.js" ?><?cs include:"header.cs" ?>
<p class="back-link"><a href="/folder"><?cs var:Lang.Folder.Entry.ToList ?></a></p>
<section class="panel scan-wait">
<h1><?cs var:Lang.Scan.Reading ?></h1>
<p role="status" id="scan-status" data-scan="<?cs var:Scan.Id ?>"><?cs var:Lang.Scan.ReadingHint ?></p>
<img class="scan-photo" src="/api/v1/folder/scan/<?cs var:Scan.Id ?>/images/front?thumb=1&amp;v=<?cs var:Scan.Front ?>" alt="<?cs var:Lang.Folder.Entry.Front ?>">
<p class="hint"><a href="/folder/scan/<?cs var:Scan.Id ?>"><?cs var:Lang.Scan.Reload ?></a></p>
</section>
<?cs include:"footer.cs" ?>
