<?cs # footer.cs: closes every page ?></main>
<footer class="bottom"><p><?cs var:Lang.Footer.Tagline ?></p></footer>
<script src="/static/livecard.js" defer></script>
</body>
</html>
