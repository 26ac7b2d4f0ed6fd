<?cs # footer.cs: closes every page: tagline, language choice, the site script ?></main>
<footer class="site-footer bottom">
<p><?cs var:Lang.Footer.Tagline ?></p>
<?cs if:!User.Name ?><p class="lang-switch"><?cs var:Lang.Footer.Language ?> <?cs if:Page.Lang == "en" ?><strong>English</strong> · <a href="/lang/zh-CN?next=<?cs var:url_escape(Page.Path) ?>" lang="zh-CN" hreflang="zh-CN">简体中文</a><?cs else ?><a href="/lang/en?next=<?cs var:url_escape(Page.Path) ?>" lang="en" hreflang="en">English</a> · <strong>简体中文</strong><?cs /if ?></p><?cs else ?><p class="lang-switch"><a href="/settings"><?cs var:Lang.Footer.ChangeLanguage ?></a></p><?cs /if ?>
</footer>
<script src="/static/livecard.js" defer></script>
</body>
</html>
