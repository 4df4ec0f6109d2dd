package web

import (
	"io/fs"
	"net/http"

	"github.com/renkei/renkei"
)

// routePages registers the server-rendered pages.
func (s *Server) routePages() {
	static, _ := fs.Sub(staticFiles, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, renkei.Errorf(renkei.ENOTFOUND, "error.route_not_found"))
	})
}
