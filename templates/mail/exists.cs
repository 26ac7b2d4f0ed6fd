Subject: <?cs var:Lang.Mail.Exists.Subject ?>

<?cs escape:"none" ?><?cs var:Lang.Mail.Exists.Body ?>

<?cs var:Site.BaseURL ?>/signin
<?cs var:Site.BaseURL ?>/reset
<?cs /escape ?>
