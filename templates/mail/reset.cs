Subject: <?cs var:Lang.Mail.Reset.Subject ?>

<?cs escape:"none" ?><?cs var:Lang.Mail.Reset.Body ?>

<?cs var:Mail.Link ?>

<?cs var:Lang.Mail.Reset.Ignore ?>
<?cs /escape ?>
