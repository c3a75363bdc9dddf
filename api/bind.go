package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
)

// bindBody decodes a JSON request body into v — the one place every JSON
// endpoint reads its body. shape shows the expected object in messages. A
// body that is not exactly one JSON object of v's fields answers 400 naming
// what is wrong (the field when there is one), an oversized body 413; false
// means the request is answered.
func bindBody(c *gin.Context, v any, shape string) bool {
	if err := decodeBody(c.Request.Body, v, shape); err != nil {
		fail(c, err)
		return false
	}
	return true
}

func decodeBody(body io.Reader, v any, shape string) error {
	if body == nil {
		body = http.NoBody
	}
	data, err := io.ReadAll(body) // bounded by limitBody
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return apperr.New(apperr.Invalid, "无法读取请求体：%v", err)
	}
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return apperr.New(apperr.Invalid, "请求体为空，应为 JSON 对象：%s", shape)
	case !utf8.Valid(data):
		return apperr.New(apperr.Invalid, "请求体含有无效的 UTF-8 字节，请以 UTF-8 编码发送")
	case trimmed[0] != '{':
		return apperr.New(apperr.Invalid, "请求体应为 JSON 对象：%s", shape)
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields() // a misspelt field must not be dropped silently
	if err := dec.Decode(v); err != nil {
		return decodeError(err, shape)
	}
	if dec.InputOffset() != int64(len(trimmed)) {
		return apperr.New(apperr.Invalid, "请求体只能是一个 JSON 对象，第 %d 字节起有多余内容", dec.InputOffset()+1)
	}
	return nil
}

// decodeError turns encoding/json's errors into messages for the user.
func decodeError(err error, shape string) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return apperr.New(apperr.Invalid, "请求体不是合法的 JSON（第 %d 字节附近）；应为：%s", syntax.Offset, shape)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.Invalid, "请求体的 JSON 不完整；应为：%s", shape)
	case errors.As(err, &typ) && typ.Field != "":
		return fieldError(typ.Field, "类型不正确，应为%s（收到 %s）", typeName(typ.Type), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for this one.
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fieldError(field, "没有这个字段；可用的字段：%s", shape)
	}
	return apperr.New(apperr.Invalid, "请求体应为 JSON 对象：%s", shape)
}

// fieldError is a 400 about one field, named in the message and in the
// details the web UI shows beside the field (as the workflow's are).
func fieldError(field, format string, args ...any) error {
	return apperr.New(apperr.Invalid, field+"："+format, args...).WithDetails(map[string]any{"field": field})
}

func typeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "字符串"
	case reflect.Bool:
		return "true 或 false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "整数"
	case reflect.Float32, reflect.Float64:
		return "数字"
	case reflect.Slice, reflect.Array:
		return "数组"
	case reflect.Map, reflect.Struct:
		return "对象"
	}
	return t.String()
}
