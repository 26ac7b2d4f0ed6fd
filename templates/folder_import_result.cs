<?cs # folder_import_result.cs: the result of an import (Result.*), on the import page and on a finished import job's page ?>
<?cs # import_issue(it): one error or warning of an import: the card's number, what is wrong in the reader's language, the parser's detail (English) marked as such ?>
<?cs def:import_issue(it) ?><?cs var:Lang.Folder.ImportPage.CardNo ?> <?cs var:#it.Index + 1 ?>: <?cs alt:Lang.Folder.ImportPage.Issue[it.Code] ?><?cs var:Lang.Folder.ImportPage.Issue.unreadable ?><?cs /alt ?><?cs if:it.Code != "no_identity" && it.Message ?> <span class="hint" lang="en">(<?cs var:it.Message ?>)</span><?cs /if ?><?cs /def ?>
<?cs if:Result.Done ?>
<section class="panel" id="result">
<h2><?cs var:Lang.Folder.ImportPage.Done ?></h2>
<ul class="plain">
<li><strong id="result-imported"><?cs var:Result.Imported ?></strong> <?cs var:Lang.Folder.ImportPage.Imported ?></li>
<li><strong id="result-merged"><?cs var:Result.Merged ?></strong> <?cs var:Lang.Folder.ImportPage.Merged ?></li>
<li><strong id="result-skipped"><?cs var:Result.Skipped ?></strong> <?cs var:Lang.Folder.ImportPage.Skipped ?></li>
</ul>
<?cs if:subcount(Result.Entries) ?><h3><?cs var:Lang.Folder.ImportPage.NewCards ?></h3>
<ul class="import-entries"><?cs each:it = Result.Entries ?><li><a href="/folder/<?cs var:it.Id ?>"><?cs if:it.Name ?><?cs var:it.Name ?><?cs else ?>#<?cs var:it.Id ?><?cs /if ?></a></li><?cs /each ?></ul>
<?cs if:Result.Imported > subcount(Result.Entries) ?><p class="hint"><?cs var:#Result.Imported - subcount(Result.Entries) ?> <?cs var:Lang.Folder.ImportPage.More ?></p><?cs /if ?><?cs /if ?>
<?cs if:Result.Linked > 0 || Result.Offered > 0 ?><ul class="plain" id="result-members">
<?cs if:Result.Linked > 0 ?><li><strong id="result-linked"><?cs var:Result.Linked ?></strong> <?cs var:Lang.Folder.ImportPage.Linked ?></li><?cs /if ?>
<?cs if:Result.Offered > 0 ?><li><strong id="result-offered"><?cs var:Result.Offered ?></strong> <?cs var:Lang.Folder.ImportPage.Offered ?> <a href="/updates"><?cs var:Lang.Updates.Title ?></a></li><?cs /if ?>
</ul><?cs /if ?>
<?cs if:subcount(Result.Errors) ?><h3><?cs var:Lang.Folder.ImportPage.Errors ?></h3>
<ul class="error-list"><?cs each:it = Result.Errors ?><li><?cs call:import_issue(it) ?></li><?cs /each ?></ul><?cs /if ?>
<?cs if:subcount(Result.Warnings) ?><h3><?cs var:Lang.Folder.ImportPage.Warnings ?></h3>
<ul><?cs each:it = Result.Warnings ?><li><?cs call:import_issue(it) ?></li><?cs /each ?></ul><?cs /if ?>
<?cs if:subcount(Result.Duplicates) ?><h3><?cs var:Lang.Folder.ImportPage.Duplicates ?></h3>
<ul><?cs each:it = Result.Duplicates ?><li><?cs var:Lang.Folder.ImportPage.CardNo ?> <?cs var:#it.Index + 1 ?>: <?cs alt:Lang.Folder.ImportPage.Action[it.Action] ?><?cs var:it.Action ?><?cs /alt ?> <?cs if:it.Entry > 0 ?><a href="/folder/<?cs var:it.Entry ?>"><?cs var:Lang.Folder.ImportPage.Open ?></a><?cs /if ?></li><?cs /each ?></ul><?cs /if ?>
<p><a class="button" href="/folder"><?cs var:Lang.Folder.ImportPage.ToFolder ?></a></p>
</section>
<?cs /if ?>
