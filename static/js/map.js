// Maps, when Leaflet (served by the app itself) has loaded: a pin picker beside the latitude and
// longitude boxes, one pin on the officer's case page, and circles on the public list. Every
// page works without this file: the boxes, the geo: links and the tables stay.
(function () {
  "use strict";
  if (!window.L) { return; }

  function number(value) {
    var n = parseFloat(String(value || "").replace(",", "."));
    return isFinite(n) ? n : null;
  }

  function valid(lat, lng) {
    return lat !== null && lng !== null && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;
  }

  function baseMap(el, options) {
    el.hidden = false;
    var map = L.map(el, Object.assign({ scrollWheelZoom: false }, options || {}));
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
    map.setView([number(el.dataset.centerLat), number(el.dataset.centerLng)],
      parseInt(el.dataset.zoom, 10) || 13);
    return map;
  }

  // The complaint form: tap to place the pin, drag it, or type in the boxes.
  document.querySelectorAll("[data-map-picker]").forEach(function (el) {
    var latInput = document.getElementById(el.dataset.latInput);
    var lngInput = document.getElementById(el.dataset.lngInput);
    if (!latInput || !lngInput) { return; }
    var map = baseMap(el);
    var marker = null;
    var hint = document.querySelector("[data-map-hint]");
    if (hint) { hint.hidden = false; }

    function fill(latlng) {
      latInput.value = latlng.lat.toFixed(6);
      lngInput.value = latlng.lng.toFixed(6);
    }

    function place(lat, lng, zoomIn) {
      if (marker) {
        marker.setLatLng([lat, lng]);
      } else {
        marker = L.marker([lat, lng], { draggable: true, title: el.dataset.pinLabel,
          alt: el.dataset.pinLabel }).addTo(map);
        marker.on("dragend", function () { fill(marker.getLatLng()); });
      }
      // Not animated: a second change while a zoom animates would otherwise be dropped.
      if (zoomIn) { map.setView([lat, lng], Math.max(map.getZoom(), 16), { animate: false }); }
    }

    function fromBoxes(zoomIn) {
      var lat = number(latInput.value);
      var lng = number(lngInput.value);
      if (valid(lat, lng)) { place(lat, lng, zoomIn); }
    }

    fromBoxes(true);
    map.on("click", function (event) {
      place(event.latlng.lat, event.latlng.lng, false);
      fill(event.latlng);
    });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("change", function () { fromBoxes(true); });
    });
  });

  // The officer's case page: the place, with its pin.
  document.querySelectorAll("[data-map-pin]").forEach(function (el) {
    var lat = number(el.dataset.lat);
    var lng = number(el.dataset.lng);
    if (!valid(lat, lng)) { return; }
    var map = baseMap(el);
    map.setView([lat, lng], 17);
    L.marker([lat, lng], { keyboard: false }).addTo(map);
  });

  // The public list: a circle per square of the grid, bigger for more cases.
  document.querySelectorAll("[data-map-points]").forEach(function (el) {
    var points = JSON.parse(el.dataset.mapPoints || "[]");
    if (!points.length) { return; }
    var map = baseMap(el);
    var bounds = [];
    points.forEach(function (p) {
      L.circleMarker([p.lat, p.lng], { radius: p.r, className: "map-circle" })
        .bindTooltip(String(p.n))
        .addTo(map);
      bounds.push([p.lat, p.lng]);
    });
    map.fitBounds(bounds, { maxZoom: 16, padding: [24, 24] });
    document.querySelectorAll("[data-map-fallback]").forEach(function (f) { f.hidden = true; });
  });
})();
