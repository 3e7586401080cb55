//go:build tools

// The build module of Pulumi's Node.js language host for the e2e (e2e/tools.ts builds it with -mod=readonly, so
// go.sum pins every dependency). The host's own module is refused by the Go module proxy here; the oldest SDK
// module it serves, github.com/pulumi/pulumi/sdk/v3@v3.52.0, still holds the host as a package.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
