<?cs # macros.cs: form helpers shared by the pages ?>
<?cs def:form_error() ?><?cs if:Form.Error ?><p class="error" role="alert"><?cs alt:Lang.Errors[Form.Error] ?><?cs var:Lang.Errors.generic ?><?cs /alt ?></p><?cs /if ?><?cs /def ?>
<?cs # when(t): a UTC time t (as the database writes it) in the reader's time zone (Page.TZ): relative words, the exact local time on hover, the UTC instant in datetime ?>
<?cs def:when(t) ?><time datetime="<?cs var:when_iso(t) ?>" title="<?cs var:when_local(t) ?>"><?cs var:when_ago(t) ?></time><?cs /def ?>
<?cs def:csrf_field() ?><input type="hidden" name="csrf" value="<?cs var:CSRF ?>"><?cs /def ?>
