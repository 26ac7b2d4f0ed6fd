Subject: <?cs var:Lang.Mail.Verify.Subject ?>

<?cs escape:"none" ?><?cs var:Lang.Mail.Verify.Body ?>

<?cs var:Mail.Link ?>

<?cs var:Lang.Mail.Verify.Expiry ?>
<?cs /escape ?>
