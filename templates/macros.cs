<?cs # macros.cs: form helpers shared by the pages ?>
<?cs def:form_error() ?><?cs if:Form.Error ?><p class="error" role="alert"><?cs alt:Lang.Errors[Form.Error] ?><?cs var:Lang.Errors.generic ?><?cs /alt ?></p><?cs /if ?><?cs /def ?>
<?cs def:csrf_field() ?><input type="hidden" name="csrf" value="<?cs var:CSRF ?>"><?cs /def ?>
