Subject: <?cs var:Lang.Mail.Verify.Subject ?>

<?cs escape:"none" ?><?cs var:Lang.Mail.Verify.Body ?>

<?cs var:Mail.Link ?>

<?cs var:Lang.Mail.Verify.Expiry ?> <?cs var:Mail.Hours ?> <?cs if:Mail.Hours == 1 ?><?cs var:Lang.Mail.Verify.Hour ?><?cs else ?><?cs var:Lang.Mail.Verify.Hours ?><?cs /if ?>
<?cs /escape ?>
