Subject: <?cs var:Lang.Mail.Reset.Subject ?>

<?cs escape:"none" ?><?cs var:Lang.Mail.Reset.Body ?>

<?cs var:Mail.Link ?>

<?cs var:Lang.Mail.Reset.Expiry ?> <?cs var:Mail.Hours ?> <?cs if:Mail.Hours == 1 ?><?cs var:Lang.Mail.Reset.Hour ?><?cs else ?><?cs var:Lang.Mail.Reset.Hours ?><?cs /if ?>

<?cs var:Lang.Mail.Reset.Ends ?>

<?cs var:Lang.Mail.Reset.Ignore ?>
<?cs /escape ?>
